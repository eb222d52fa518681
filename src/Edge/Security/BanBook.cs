using System.Collections.Concurrent;
using System.Net;
using CallControl.Grains;

namespace CallControl.Edge.Security;

/// <summary>
/// The bans this edge enforces: its own, applied at once, and the cluster's (<see cref="ClusterBans"/>). Asked for
/// every packet, so the common case (no ban at all, or none for this source) is one lookup. Bans end by themselves at
/// their <see cref="SourceBan.Until"/>, on the wall clock every edge shares.
/// </summary>
public sealed class BanBook
{
    private readonly ConcurrentDictionary<IPAddress, SourceBan> _bans = new();

    /// <summary>Bans held, ended ones not yet swept included.</summary>
    public int Count => _bans.Count;

    /// <summary>The ban of <paramref name="address"/> (an IPv4-mapped IPv6 address as its IPv4 one) in force at <paramref name="now"/>, if any.</summary>
    public bool IsBanned(IPAddress address, DateTimeOffset now)
        => !_bans.IsEmpty && _bans.TryGetValue(Plain(address), out var ban) && ban.Until > now;

    /// <summary>Adds or extends a ban; true when the source was not banned before.</summary>
    public bool Add(SourceBan ban, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ban);
        if (!IPAddress.TryParse(ban.Source, out var address))
        {
            return false;
        }

        address = Plain(address);
        var wasBanned = IsBanned(address, now);
        _bans.AddOrUpdate(address, ban, (_, known) => known.Until >= ban.Until ? known : ban);
        return !wasBanned;
    }

    /// <summary>Lifts the ban of <paramref name="source"/>; the ban, when there was one.</summary>
    public SourceBan? Remove(string source)
        => IPAddress.TryParse(source, out var address) && _bans.TryRemove(Plain(address), out var ban) ? ban : null;

    /// <summary>Makes the book hold exactly <paramref name="bans"/>; returns the bans it no longer holds.</summary>
    public List<SourceBan> Replace(IReadOnlyCollection<SourceBan> bans, DateTimeOffset now)
    {
        var keep = bans.Select(b => b.Source).ToHashSet(StringComparer.Ordinal);
        var lifted = _bans.Values.Where(b => !keep.Contains(b.Source)).ToList();
        foreach (var ban in lifted)
        {
            Remove(ban.Source);
        }

        foreach (var ban in bans)
        {
            Add(ban, now);
        }

        return lifted;
    }

    /// <summary>Removes the bans that ended by <paramref name="now"/>; returns them.</summary>
    public List<SourceBan> Sweep(DateTimeOffset now)
    {
        var ended = new List<SourceBan>();
        foreach (var (address, ban) in _bans)
        {
            if (ban.Until <= now && _bans.TryRemove(new KeyValuePair<IPAddress, SourceBan>(address, ban)))
            {
                ended.Add(ban);
            }
        }

        return ended;
    }

    /// <summary>The bans in force at <paramref name="now"/>.</summary>
    public int Live(DateTimeOffset now) => _bans.Values.Count(b => b.Until > now);

    // The guard bans an IPv4-mapped source as its IPv4 address (as the network lists judge it), so that is the key.
    private static IPAddress Plain(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
