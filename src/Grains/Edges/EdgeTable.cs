namespace CallControl.Grains.Edges;

/// <summary>
/// The directory's bookkeeping without Orleans: each edge's latest announcement and when it counts as dead, which is
/// after <see cref="MissedAnnouncements"/> of its own periods without one (one lost or late announcement is not death).
/// </summary>
internal sealed class EdgeTable
{
    /// <summary>Announcements an edge may miss before it counts as dead.</summary>
    public const int MissedAnnouncements = 3;

    private readonly Dictionary<string, (EdgeInfo Edge, DateTimeOffset HeardAt, DateTimeOffset DeadAfter)> _edges = new(StringComparer.Ordinal);

    public void Announce(EdgeInfo edge, TimeSpan period, DateTimeOffset now)
        => _edges[edge.EdgeId] = (edge, now, now + (period * MissedAnnouncements));

    public void Withdraw(string edgeId) => _edges.Remove(edgeId);

    /// <summary>Takes the edge out if it is still the one reached through <paramref name="observer"/> (not a newer process under its id).</summary>
    public void Unreachable(string edgeId, IEdgeObserver observer)
    {
        if (_edges.TryGetValue(edgeId, out var entry) && Equals(entry.Edge.Observer, observer))
        {
            _edges.Remove(edgeId);
        }
    }

    /// <summary>The edges alive at <paramref name="now"/>, most recently heard first; the dead ones are forgotten.</summary>
    public EdgeInfo[] Live(DateTimeOffset now)
    {
        foreach (var (id, entry) in _edges)
        {
            if (entry.DeadAfter <= now)
            {
                _edges.Remove(id); // removing while enumerating is allowed for Dictionary since .NET Core 3.0
            }
        }

        return [.. _edges.Values.OrderByDescending(e => e.HeardAt).Select(e => e.Edge)];
    }
}
