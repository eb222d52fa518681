namespace CallControl.Grains.Recovery;

/// <summary>
/// The calls a dead silo held (keyed by the dead silo's address): each is woken on a live silo, where its activation
/// re-arms its deadlines from the stored state. Every silo that sees the death asks; one pass runs.
/// </summary>
public interface IOrphanedCallsGrain : IGrainWithStringKey
{
    /// <summary>Runs a pass over the stored calls without a reminder (or joins the one running); how many it woke.</summary>
    [Alias("wake-calls")]
    Task<int> WakeCallsAsync();
}
