namespace CallControl.Grains.Edges;

/// <summary>
/// <see cref="IEdgeDirectory"/>: the live edges in memory (<see cref="EdgeTable"/>). Not stored: after a reactivation
/// (its silo died) every live edge has announced itself again within one period, and until then a call's timer
/// messages go through the call's own edge as before. Not reentrant, and needs not be: no method awaits anything.
/// </summary>
[GrainType("cc-edge-directory")]
public sealed class EdgeDirectoryGrain(TimeProvider time) : Grain, IEdgeDirectory
{
    private readonly EdgeTable _edges = new();

    /// <inheritdoc />
    public Task Announce(EdgeInfo edge, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(edge);
        _edges.Announce(edge, period, time.GetUtcNow());
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Withdraw(string edgeId)
    {
        _edges.Withdraw(edgeId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unreachable(string edgeId, IEdgeObserver observer)
    {
        _edges.Unreachable(edgeId, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<EdgeInfo[]> LiveEdges() => Task.FromResult(_edges.Live(time.GetUtcNow()));
}
