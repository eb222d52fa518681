using CallControl.Grains.Persistence;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// PostgreSQL's way of saying it is unreachable or going down, for the grains' write-behind and the CDR outbox:
/// what Npgsql itself calls transient, and the SQLSTATE classes that mean "the server is going or gone", whatever the
/// driver thinks. Run against a stopped PostgreSQL the first failure is 57P01, the next ones a refused connection.
/// </summary>
public sealed class PostgresFailureClassifier : IStoreFailureClassifier
{
    /// <inheritdoc />
    public bool IsOutage(Exception exception)
        => exception is NpgsqlException npgsql && (npgsql.IsTransient || IsOutageState(npgsql.SqlState));

    // 08 connection exception, 53 insufficient resources, 57P operator intervention (57P01 admin_shutdown is what a
    // `pg_ctl stop -m fast` sends every open session).
    private static bool IsOutageState(string? sqlState)
        => sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal));
}
