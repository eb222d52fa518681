using Npgsql;

namespace CallControl.Storage.GrainState;

/// <summary>
/// The write and delete texts of Orleans' ADO.NET query contract, read from table orleansquery as the provider
/// itself reads them (src/Storage/Migrations/001_orleans.sql), so the batched writes run exactly its statements.
/// </summary>
internal sealed record StorageQueries(string Write, string Delete)
{
    public static async Task<StorageQueries> LoadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT querykey, querytext FROM orleansquery WHERE querykey IN ('WriteToStorageKey', 'DeleteStorageKey')");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            texts[reader.GetString(0)] = reader.GetString(1);
        }

        return texts.TryGetValue("WriteToStorageKey", out var write) && texts.TryGetValue("DeleteStorageKey", out var delete)
            ? new StorageQueries(write, delete)
            : throw new InvalidOperationException("Table orleansquery lacks WriteToStorageKey or DeleteStorageKey: run the migrations (callcontrol migrate).");
    }
}
