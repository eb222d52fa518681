using System.Data.Common;
using System.Net.Sockets;

namespace CallControl.Grains.Persistence;

/// <summary>
/// Tells a store outage (retry later: the data stays in memory meanwhile) from a conflict or a bug (never retried
/// blindly). Orleans wraps a provider's exception in an <see cref="OrleansException"/> ("Error from storage
/// provider … during WriteStateAsync"), so the whole chain is looked at.
/// </summary>
public static class StoreFailures
{
    /// <summary>True when the exception, or one it wraps, says the store could not be reached or was going down.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Orleans.Storage.InconsistentStateException:
                    return false; // another writer moved the row on: a real conflict, not an outage
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Any(IsTransient);
                case DbException db when db.IsTransient || IsOutageState(db.SqlState):
                    return true;
                case SocketException or TimeoutException or IOException:
                    return true;
            }
        }

        return false;
    }

    // SQLSTATE classes that mean "the server is going or gone", whatever the driver thinks: 08 connection
    // exception, 53 insufficient resources, 57P operator intervention (57P01 admin_shutdown is what a
    // `pg_ctl stop -m fast` sends every open session).
    private static bool IsOutageState(string? sqlState)
        => sqlState is not null && (sqlState.StartsWith("08", StringComparison.Ordinal)
            || sqlState.StartsWith("53", StringComparison.Ordinal)
            || sqlState.StartsWith("57P", StringComparison.Ordinal));
}
