using CallControl.Grains.Recovery;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;

namespace CallControl.Storage.GrainState;

/// <summary>
/// The stored calls without a wake-up reminder, read from the grain state and reminder tables (migration 001): a call's
/// row is keyed by its Call-ID alone (state name <c>dialog</c>, a string key), its reminder by its grain id
/// (<c>cc-dialog/</c> and the Call-ID). Paged in key order on the primary key; run only after a silo dies.
/// </summary>
public sealed class PostgresStoredCalls(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster) : IStoredCalls
{
    private const string List = """
        SELECT g.grain_id_ext FROM orleans_grain_state g
        WHERE g.service_id = @service AND g.grain_type = 'dialog' AND g.grain_id_n0 = 0 AND g.grain_id_n1 = 0
          AND g.payload IS NOT NULL AND (@after::text IS NULL OR g.grain_id_ext > @after)
          AND NOT EXISTS (SELECT 1 FROM orleans_reminders r WHERE r.service_id = g.service_id AND r.grain_id = 'cc-dialog/' || g.grain_id_ext)
        ORDER BY g.grain_id_ext LIMIT @limit
        """;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListUnremindedAsync(string? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(List);
        command.Parameters.AddWithValue("service", cluster.Value.ServiceId);
        return await CallIdPage.ReadAsync(command, after, limit, cancellationToken);
    }
}
