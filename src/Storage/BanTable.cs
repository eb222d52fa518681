using System.Net;
using CallControl.Grains;
using Npgsql;

namespace CallControl.Storage;

/// <summary>The cluster's bans in table <c>security_bans</c>: kept by the ban list grain, managed by the CLI too.</summary>
public sealed class BanTable(NpgsqlDataSource dataSource) : IBanStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<SourceBan>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT source, until, reason, banned_by FROM security_bans WHERE until > @now ORDER BY source");
        command.Parameters.AddWithValue("now", now);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var bans = new List<SourceBan>();
        while (await reader.ReadAsync(cancellationToken))
        {
            bans.Add(new SourceBan(reader.GetFieldValue<IPAddress>(0).ToString(), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3)));
        }

        return bans;
    }

    /// <inheritdoc />
    public async Task SaveAsync(SourceBan ban, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ban);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO security_bans (source, until, reason, banned_by) VALUES (@source, @until, @reason, @by)
            ON CONFLICT (source) DO UPDATE SET until = GREATEST(security_bans.until, EXCLUDED.until), reason = EXCLUDED.reason, banned_by = EXCLUDED.banned_by
            """);
        command.Parameters.AddWithValue("source", Address(ban.Source));
        command.Parameters.AddWithValue("until", ban.Until);
        command.Parameters.AddWithValue("reason", ban.Reason);
        command.Parameters.AddWithValue("by", ban.By);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveAsync(string source, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM security_bans WHERE source = @source");
        command.Parameters.AddWithValue("source", Address(source));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Removes the bans that ended before <paramref name="now"/>; returns how many.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM security_bans WHERE until <= @now");
        command.Parameters.AddWithValue("now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static IPAddress Address(string source)
        => IPAddress.TryParse(source, out var address) ? address : throw new ArgumentException($"ban: '{source}' is not an IP address.", nameof(source));
}
