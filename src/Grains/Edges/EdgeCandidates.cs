namespace CallControl.Grains.Edges;

/// <summary>
/// Which edges a message a timer started may go out through, in the order to try them: the call's own edge while the
/// directory lists it (through the observer the directory holds, which is current even when the edge restarted under
/// the same id), then other live edges, starting at a place picked by the call so that a dead edge's calls spread over
/// the rest. A directory that lists no edge at all (just reactivated, or no edge announces) leaves the call's own edge
/// as the call knows it: what was done before there was a directory.
/// </summary>
internal static class EdgeCandidates
{
    /// <summary>The edges to try, at most <paramref name="most"/>; <paramref name="spread"/> picks where among the others to start.</summary>
    public static List<EdgeInfo> Order(EdgeInfo? callEdge, IReadOnlyList<EdgeInfo> live, int spread, int most)
    {
        var order = new List<EdgeInfo>(Math.Min(most, live.Count + 1));
        var own = callEdge is null ? null : live.FirstOrDefault(e => e.EdgeId == callEdge.EdgeId);
        if (own?.Observer is not null)
        {
            order.Add(own);
        }
        else if (live.Count == 0 && callEdge?.Observer is not null)
        {
            order.Add(callEdge);
        }

        var others = live.Where(e => e.Observer is not null && e.EdgeId != callEdge?.EdgeId).ToList();
        var start = others.Count == 0 ? 0 : (int)((uint)spread % (uint)others.Count);
        for (var i = 0; i < others.Count && order.Count < most; i++)
        {
            order.Add(others[(start + i) % others.Count]);
        }

        return order;
    }
}
