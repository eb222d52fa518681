namespace CallControl.Grains.Security;

/// <summary>
/// The ban list grain's bookkeeping without Orleans: the bans in force and a bounded log of changes, numbered, so an
/// edge that asks with the version it has gets only what changed since (or the whole list, when its version is from
/// another ledger or older than the log keeps).
/// </summary>
internal sealed class BanLedger(Guid epoch, int keptChanges = 1024)
{
    private readonly Dictionary<string, SourceBan> _bans = new(StringComparer.Ordinal);
    private readonly LinkedList<(long Version, SourceBan? Added, string? Removed)> _log = new();
    private long _version;

    /// <summary>This ledger's identity: versions of another one mean nothing here.</summary>
    public Guid Epoch { get; } = epoch;

    /// <summary>The bans in force at <paramref name="now"/>.</summary>
    public SourceBan[] Live(DateTimeOffset now) => [.. _bans.Values.Where(b => b.Until > now).OrderBy(b => b.Source, StringComparer.Ordinal)];

    /// <summary>Adds or replaces a ban; false when it changes nothing.</summary>
    public bool Add(SourceBan ban)
    {
        if (_bans.TryGetValue(ban.Source, out var known) && known == ban)
        {
            return false;
        }

        _bans[ban.Source] = ban;
        Append(ban, null);
        return true;
    }

    /// <summary>
    /// Bans a source or extends its ban, never shortening it, as the store keeps it (BanTable: the later end, the newer
    /// reason and author); false when it changes nothing.
    /// </summary>
    public bool Extend(SourceBan ban)
        => Add(_bans.TryGetValue(ban.Source, out var known) && known.Until > ban.Until ? ban with { Until = known.Until } : ban);

    /// <summary>Lifts a ban; false when there was none.</summary>
    public bool Remove(string source)
    {
        if (!_bans.Remove(source))
        {
            return false;
        }

        Append(null, source);
        return true;
    }

    /// <summary>Makes the ledger hold exactly <paramref name="stored"/> (what the store has now), logging the differences.</summary>
    public void Reconcile(IReadOnlyCollection<SourceBan> stored, DateTimeOffset now)
    {
        var sources = stored.Select(b => b.Source).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _bans.Keys.Where(s => !sources.Contains(s)).ToList())
        {
            Remove(gone);
        }

        foreach (var ban in stored.Where(b => b.Until > now))
        {
            Add(ban);
        }
    }

    /// <summary>What changed after <paramref name="version"/> of ledger <paramref name="epoch"/>.</summary>
    public BanChanges Since(Guid epoch, long version, DateTimeOffset now)
    {
        var oldest = _log.First?.Value.Version ?? _version + 1;
        if (epoch != Epoch || version > _version || version + 1 < oldest)
        {
            return new BanChanges(Epoch, _version, Full: true, Live(now), []);
        }

        // The last change of each source only: an edge applies the additions, then the removals, so a source lifted
        // and banned again since its version must come as added, and one banned and lifted as removed, never both.
        var last = new Dictionary<string, SourceBan?>(StringComparer.Ordinal);
        foreach (var (at, ban, source) in _log)
        {
            if (at > version)
            {
                last[ban?.Source ?? source!] = ban;
            }
        }

        return new BanChanges(Epoch, _version, Full: false, [.. last.Values.OfType<SourceBan>()], [.. last.Where(l => l.Value is null).Select(l => l.Key)]);
    }

    private void Append(SourceBan? added, string? removed)
    {
        _log.AddLast((++_version, added, removed));
        while (_log.Count > keptChanges)
        {
            _log.RemoveFirst();
        }
    }
}
