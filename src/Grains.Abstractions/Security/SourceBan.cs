namespace CallControl.Grains;

/// <summary>A source address banned until <see cref="Until"/>: every edge drops whatever it sends, unanswered.</summary>
/// <param name="Source">The address (IPv4 or IPv6, as <see cref="System.Net.IPAddress.ToString"/> writes it).</param>
/// <param name="Until">When the ban ends by itself.</param>
/// <param name="Reason">Why: auth-failure, scanner, flood or manual.</param>
/// <param name="By">Who banned it: an edge's id, or "cli".</param>
[GenerateSerializer, Immutable, Alias("cc.source-ban")]
public sealed record SourceBan(
    [property: Id(0)] string Source,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] string Reason,
    [property: Id(3)] string By);

/// <summary>
/// The bans made or lifted since an edge last asked (<see cref="IBanListGrain.Changes"/>); <see cref="Full"/> when
/// <see cref="Added"/> is the whole list (the edge's view was from another activation, or too old), which then
/// replaces what the edge had.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.ban-changes")]
public sealed record BanChanges(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Version,
    [property: Id(2)] bool Full,
    [property: Id(3)] SourceBan[] Added,
    [property: Id(4)] string[] Removed);

/// <summary>
/// The cluster's bans: one grain, which edges tell of the bans they make and ask, twice a second, for what changed.
/// Kept in the <see cref="IBanStore"/> (table <c>security_bans</c> in a cluster), where the CLI adds and removes bans
/// too; the grain reads it again every few seconds to learn of those.
/// </summary>
[Alias("cc.ban-list")]
public interface IBanListGrain : IGrainWithIntegerKey
{
    /// <summary>The grain's key: there is one.</summary>
    const long Key = 0;

    /// <summary>Bans a source (or extends its ban); every edge applies it within one sync interval.</summary>
    [Alias("ban")]
    Task Ban(SourceBan ban);

    /// <summary>Lifts a source's ban; false when it had none.</summary>
    [Alias("unban")]
    Task<bool> Unban(string source);

    /// <summary>The bans in force.</summary>
    [Alias("list")]
    Task<SourceBan[]> List();

    /// <summary>What changed since <paramref name="version"/> of activation <paramref name="epoch"/> (Guid.Empty: everything).</summary>
    [Alias("changes")]
    Task<BanChanges> Changes(Guid epoch, long version);
}

/// <summary>Where bans are kept (table <c>security_bans</c> in a cluster; memory on the embedded default).</summary>
public interface IBanStore
{
    /// <summary>The bans that have not ended by <paramref name="now"/>.</summary>
    Task<IReadOnlyList<SourceBan>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds the ban of <see cref="SourceBan.Source"/>, or replaces it keeping the later end (a ban is never shortened).</summary>
    Task SaveAsync(SourceBan ban, CancellationToken cancellationToken);

    /// <summary>Removes the ban of <paramref name="source"/>; false when there was none.</summary>
    Task<bool> RemoveAsync(string source, CancellationToken cancellationToken);
}

/// <summary>The embedded default's store: the process's memory, which is all that state lives in there.</summary>
public sealed class MemoryBanStore : IBanStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SourceBan> _bans = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<SourceBan>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<SourceBan>>([.. _bans.Values.Where(b => b.Until > now)]);

    /// <inheritdoc />
    public Task SaveAsync(SourceBan ban, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ban);
        _bans.AddOrUpdate(ban.Source, ban, (_, known) => known.Until > ban.Until ? ban with { Until = known.Until } : ban); // as BanTable
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string source, CancellationToken cancellationToken) => Task.FromResult(_bans.TryRemove(source, out _));
}
