namespace CallControl.Grains.Edges;

/// <summary>
/// A silo's view of which edges are alive (<see cref="IEdgeDirectory.LiveEdges"/>), asked at most once per
/// <see cref="MaxAge"/> however many calls need it: a call to a user with several bindings leaves out the flows of a
/// dead edge. Null when the directory cannot tell (its silo just died): then nothing is left out.
/// </summary>
public sealed class LiveEdgeView(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How old an answer may be: an edge that died is left out within this plus the directory's own delay.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private (HashSet<string>? Ids, DateTimeOffset At) _last = (null, DateTimeOffset.MinValue);

    /// <summary>The ids of the live edges, or null when the directory did not answer.</summary>
    public async ValueTask<HashSet<string>?> GetAsync(CancellationToken cancellationToken)
    {
        var last = _last;
        var now = time.GetUtcNow();
        if (last.Ids is not null && now - last.At < MaxAge)
        {
            return last.Ids;
        }

        try
        {
            var edges = await grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key).LiveEdges().WaitAsync(AskTimeout, time, cancellationToken);
            var ids = edges.Select(e => e.EdgeId).ToHashSet(StringComparer.Ordinal);
            _last = (ids, now);
            return ids;
        }
#pragma warning disable CA1031 // Only a filter: without the directory every binding is tried, as before there was one.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            return null;
        }
    }
}
