using CallControl.Grains.Media;
using CallControl.Storage.Batching;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// The media session index in table <c>media_sessions</c> (migration 010). With a <see cref="StatementBatcher"/> each
/// write shares a round trip and a commit with the calls' other writes.
/// </summary>
public sealed class PostgresMediaSessionIndex(NpgsqlDataSource dataSource, StatementBatcher? batcher = null) : IMediaSessionIndex
{
    internal const string Set = """
        INSERT INTO media_sessions (call_id, engine) VALUES (@call_id, @engine)
        ON CONFLICT (call_id) DO UPDATE SET engine = EXCLUDED.engine, since = now()
        """;

    internal const string Remove = "DELETE FROM media_sessions WHERE call_id = @call_id";

    private const string List = """
        SELECT call_id FROM media_sessions WHERE engine = @engine AND (@after::text IS NULL OR call_id > @after)
        ORDER BY call_id LIMIT @limit
        """;

    /// <inheritdoc />
    public Task SetAsync(string callId, string engine, CancellationToken cancellationToken)
        => ExecuteAsync(Set, cancellationToken, ("call_id", callId), ("engine", engine));

    /// <inheritdoc />
    public Task RemoveAsync(string callId, CancellationToken cancellationToken)
        => ExecuteAsync(Remove, cancellationToken, ("call_id", callId));

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListAsync(string engine, string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(List);
        command.Parameters.AddWithValue("engine", engine);
        return await CallIdPage.ReadAsync(command, after, limit, cancellationToken);
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        if (batcher is not null)
        {
            await batcher.ExecuteAsync(new MediaSessionStatement(sql, parameters)).WaitAsync(cancellationToken);
            return;
        }

        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
