namespace CallControl.Grains;

/// <summary>
/// The edges that are alive, as they announce themselves: where a message a timer starts goes when the edge that
/// carried its call is dead (any edge can send a UDP message). One per cluster (key <see cref="Key"/>); its state is
/// in memory only, and refills within one announcement period after it is reactivated.
/// </summary>
[Alias("cc.edge-directory")]
public interface IEdgeDirectory : IGrainWithIntegerKey
{
    /// <summary>The directory's key: there is one.</summary>
    const long Key = 0;

    /// <summary>
    /// The edge is alive and reachable through <see cref="EdgeInfo.Observer"/>; it announces again every
    /// <paramref name="period"/>, and counts as dead once it has missed a few announcements.
    /// </summary>
    [Alias("announce")]
    Task Announce(EdgeInfo edge, TimeSpan period);

    /// <summary>The edge is stopping gracefully: send it nothing more.</summary>
    [Alias("withdraw")]
    Task Withdraw(string edgeId);

    /// <summary>
    /// A grain could not reach the edge through <paramref name="observer"/> (it failed, or did not answer in time): the
    /// edge is taken out until it announces itself again, so the next call's messages do not wait on it too. An entry
    /// with another observer (the edge restarted under the same id) stays.
    /// </summary>
    [Alias("unreachable")]
    Task Unreachable(string edgeId, IEdgeObserver observer);

    /// <summary>The edges that announced themselves recently enough to count as alive, most recently heard first.</summary>
    [Alias("live")]
    Task<EdgeInfo[]> LiveEdges();
}
