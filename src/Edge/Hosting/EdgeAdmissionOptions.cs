namespace CallControl.Edge.Hosting;

/// <summary>
/// Admission control of new calls (<c>CallControl:Edge:Admission</c>, <see cref="Routing.AdmissionControl"/>): when
/// the silos fall behind, the edge answers new INVITEs with 503 "Overloaded" and Retry-After
/// (<see cref="EdgeOptions.RetryAfter"/>) before any grain sees them, so that the calls in progress complete.
/// In-dialog requests, CANCEL, ACK, responses and REGISTER are never refused (docs/operations.md, "Overload").
/// </summary>
public sealed class EdgeAdmissionOptions
{
    /// <summary>Whether new calls can be refused for overload; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// New calls are refused while this many grain calls from this edge, or more, are in flight; default 1,000. By
    /// Little's law in flight = rate × latency: at the embedded default's best measured 600 calls/s (docs/performance.md),
    /// about six grain calls per call and a few milliseconds each, some 20 are in flight, so 1,000 is only reached by a
    /// standing backlog (3,600 grain calls/s each waiting over a quarter of a second), and within seconds of the silos
    /// no longer answering at a few hundred calls/s. It is the backstop for the latency signal, which sees nothing while nothing completes.
    /// </summary>
    public int MaxInFlight { get; set; } = 1000;

    /// <summary>
    /// New calls are refused for an interval when the fastest grain call completed in the interval before took longer
    /// than this; default 50 ms. A healthy grain call takes 1–10 ms (INVITE to 200 through the whole embedded path is
    /// 4 ms at p50; a cluster's, with the edge → silo hop and PostgreSQL writes, 16 ms), so when even the fastest call
    /// of an interval takes 50 ms, every call queued.
    /// </summary>
    public TimeSpan LatencyTarget { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// New calls are refused for an interval when the shortest wait of a new INVITE in the edge's receive queue in the
    /// interval before was longer than this; default 20 ms. The UDP receive loop serves the messages of calls in
    /// progress first, so new INVITEs are what waits when the edge falls behind. Handling one message takes tens of
    /// microseconds, so a healthy edge's INVITEs wait well under a millisecond, and when even the shortest wait of an
    /// interval is 20 ms the edge has a standing backlog (its host is short of CPU, or the offered rate is more than it
    /// can take in). Refused INVITEs are answered statelessly, so refusing drains that backlog fast.
    /// </summary>
    public TimeSpan QueueDelayTarget { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How long the latency must stay above its target before new calls are refused, and how long one verdict holds;
    /// default 200 ms. CoDel's 100 ms (RFC 8289) is a network round trip; ours is longer so that the minimum is taken
    /// over hundreds of grain calls at a moderate rate, and still well inside SIP's T1 (500 ms), so an overload is
    /// answered before callers retransmit their INVITEs into it.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How many grain calls must complete in an interval for its fastest one to say anything, and how many new INVITEs
    /// it must see for their shortest wait to; default 16. At low load
    /// an interval holds one or two calls, and one slow call (a first activation, a JIT pause, a trunk that does not
    /// answer) is not a queue: taken alone it refused healthy calls. Under real overload an interval holds hundreds.
    /// </summary>
    public int MinCompletions { get; set; } = 16;
}
