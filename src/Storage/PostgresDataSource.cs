using Npgsql;

namespace CallControl.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a process shares (Orleans storage and the CDR log).</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// The data source for a connection string, with the two settings that nearly double the ADO.NET
    /// provider's throughput here (../shared/design/ORLEANS.md §9) unless the string sets them itself:
    /// no session reset on pooled connections, and automatic preparation of repeated statements; and a pool of at
    /// most 30 connections, so that several silos fit in PostgreSQL's default 100.
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

        if (!given.ContainsKey("Maximum Pool Size"))
        {
            // Npgsql's default (100) is PostgreSQL's whole max_connections: two silos at load ran it out ("too many
            // clients"). A silo's writes are short; 30 each leaves room for several silos, the CLI and consumers.
            builder.MaxPoolSize = 30;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
