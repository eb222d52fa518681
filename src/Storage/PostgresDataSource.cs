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
    public static NpgsqlDataSource Create(string connectionString) => NpgsqlDataSource.Create(Tune(connectionString, maxPoolSize: 30));

    /// <summary>
    /// The connection string for Orleans' reminder table, which opens its own pool from a string: at most 10
    /// connections unless the string says otherwise. Npgsql's default of 100 is PostgreSQL's whole max_connections;
    /// when a slow moment made many calls register reminders at once, that pool and the silo's own ran PostgreSQL out
    /// of connections ("too many clients already"), and calls failed.
    /// </summary>
    public static string ForReminders(string connectionString) => Tune(connectionString, maxPoolSize: 10);

    private static string Tune(string connectionString, int maxPoolSize)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = GivenKeys(connectionString);
        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 20;
        }

        if (!given.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        if (!given.Contains("MaximumPoolSize") && !given.Contains("MaxPoolSize"))
        {
            // Npgsql's default (100) is PostgreSQL's whole max_connections: two silos at load ran it out ("too many
            // clients"). A silo's writes are short; 30 each (and 10 for reminders) leaves room for several silos, the
            // CLI and consumers.
            builder.MaxPoolSize = maxPoolSize;
        }

        return builder.ConnectionString;
    }

    // The keywords the string itself names, without spaces and compared ignoring case, so that any spelling Npgsql
    // accepts matches. Not NpgsqlConnectionStringBuilder.ContainsKey: that says whether a keyword is known, so it is
    // true for every setting.
    private static HashSet<string> GivenKeys(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string key in given.Keys)
        {
            keys.Add(key.Replace(" ", "", StringComparison.Ordinal));
        }

        return keys;
    }
}
