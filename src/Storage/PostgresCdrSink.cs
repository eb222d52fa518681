using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Storage.Batching;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// The cluster's CDR store: one row per call in table <c>cdr</c>, inserted with ON CONFLICT DO NOTHING on the
/// call id, so a retried end of call (a silo that died mid-write, a BYE through a second edge) writes once. With a
/// <see cref="StatementBatcher"/>, the insert shares a round trip and a commit with other calls' writes.
/// </summary>
public sealed class PostgresCdrSink(NpgsqlDataSource dataSource, StatementBatcher? batcher = null) : ICdrSink
{
    /// <inheritdoc />
    public async Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (batcher is not null)
        {
            await batcher.ExecuteAsync(new CdrStatement(record)).WaitAsync(cancellationToken);
            return;
        }

        await using var command = dataSource.CreateCommand(CdrRowCommand.Insert);
        CdrRowCommand.Fill(command.Parameters, record);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
