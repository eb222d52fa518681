using System.Globalization;
using System.Runtime.CompilerServices;
using CallControl.Grains;
using Npgsql;

namespace CallControl.Storage;

/// <summary>One CDR as the log holds it: where it is, and the record.</summary>
public sealed record CdrEntry(CdrPosition Position, CallDetailRecord Record);

/// <summary>
/// The CDR log as billing consumers read it: at least once, in a stable order, never skipping a record even
/// when writers commit out of order, each consumer with its own named checkpoint in <c>cdr_consumer</c>.
/// </summary>
public sealed class CdrLog(NpgsqlDataSource dataSource)
{
    // Rows written by transactions older than every running one (pg_snapshot_xmin): their set can no longer grow.
    private const string Read = """
        SELECT txid::text, id, call_id, caller, callee_dialled, callee_routed, invite_time, answer_time, end_time,
               billable_seconds, disposition, final_status, hung_up_by, route, edge, silo, media::text, transfers::text
          FROM cdr
         WHERE (txid, id) > (@txid::xid8, @id)
           AND txid < pg_snapshot_xmin(pg_current_snapshot())
         ORDER BY txid, id
         LIMIT @limit
        """;

    /// <summary>The consumer's checkpoint (created at the start of the log the first time it is asked for).</summary>
    public async Task<CdrPosition> CheckpointAsync(string consumer, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO cdr_consumer (name) VALUES (@name) ON CONFLICT (name) DO NOTHING;
            SELECT last_txid::text, last_id FROM cdr_consumer WHERE name = @name;
            """);
        command.Parameters.AddWithValue("name", consumer);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CdrPosition(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt64(1));
    }

    /// <summary>Up to <paramref name="limit"/> records after <paramref name="after"/>, in log order.</summary>
    public async Task<IReadOnlyList<CdrEntry>> ReadAsync(CdrPosition after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Read);
        command.Parameters.AddWithValue("txid", after.TransactionText);
        command.Parameters.AddWithValue("id", after.Id);
        command.Parameters.AddWithValue("limit", limit);
        var entries = new List<CdrEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(CdrRows.Read(reader));
        }

        return entries;
    }

    /// <summary>Moves a consumer's checkpoint forward (never back: a stale commit changes nothing).</summary>
    public async Task CommitAsync(string consumer, CdrPosition position, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE cdr_consumer SET last_txid = @txid::xid8, last_id = @id, updated_at = now()
             WHERE name = @name AND (last_txid, last_id) < (@txid::xid8, @id)
            """);
        command.Parameters.AddWithValue("name", consumer);
        command.Parameters.AddWithValue("txid", position.TransactionText);
        command.Parameters.AddWithValue("id", position.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Every record after the consumer's checkpoint, then new ones as they are written, until cancelled. The
    /// checkpoint advances after each batch is handed out (at least once: a consumer that dies mid-batch sees it again).
    /// </summary>
    public async IAsyncEnumerable<CdrEntry> FollowAsync(string consumer, TimeSpan poll, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var listener = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand("LISTEN cdr", listener))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        var position = await CheckpointAsync(consumer, cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            var batch = await ReadAsync(position, 500, cancellationToken);
            foreach (var entry in batch)
            {
                yield return entry;
            }

            if (batch.Count > 0)
            {
                position = batch[^1].Position;
                await CommitAsync(consumer, position, cancellationToken);
                continue;
            }

            // Nothing readable: wait for a commit's notification, or poll (a row may become readable when an
            // older transaction ends, which notifies nobody).
            await listener.WaitAsync(poll, cancellationToken);
        }
    }
}
