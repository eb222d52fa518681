using Npgsql;

namespace CallControl.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a process shares (Orleans storage and the CDR log).</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// The data source for a connection string, with the two settings that nearly double the ADO.NET
    /// provider's throughput here (../shared/design/ORLEANS.md §9) unless the string sets them itself:
    /// no session reset on pooled connections, and automatic preparation of repeated statements.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 20;
        }

        if (!given.ContainsKey("Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
