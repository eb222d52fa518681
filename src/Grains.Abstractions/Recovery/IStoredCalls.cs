namespace CallControl.Grains.Recovery;

/// <summary>
/// The calls held in the store (docs/reliability.md, "Calls a dead silo held"): a call's state row lives from its
/// first save to its end, whichever silo holds it. Those without a wake-up reminder are the ones a dead silo's
/// activations may have left with nothing to wake them at their next deadline (a ring timeout, a session refresh).
/// </summary>
public interface IStoredCalls
{
    /// <summary>Up to <paramref name="limit"/> stored calls that hold no wake-up reminder, in Call-ID order, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<string>> ListUnremindedAsync(string? after, int limit, CancellationToken cancellationToken);
}
