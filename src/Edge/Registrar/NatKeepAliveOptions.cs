namespace CallControl.Edge.Registrar;

/// <summary>What an edge sends to keep a NATed UDP flow open (<see cref="NatKeepAliveOptions.NatKeepAliveMethod"/>).</summary>
public enum NatKeepAliveMethod
{
    /// <summary>An OPTIONS request: any response proves the flow alive, so a dead one is found (RFC 3261 §11).</summary>
    Options,

    /// <summary>A "\r\n\r\n" datagram (as RFC 5626 §4.4.1's ping): cheaper, unanswered, so a dead flow lives until its registration expires.</summary>
    Crlf,
}

/// <summary>
/// The edge's side of issue 18's "NAT bindings kept open", from section <c>CallControl:Registrar</c> (docs/nat.md,
/// "Keep-alives"): the edge that received a NATed phone's REGISTER over UDP sends to its flow every
/// <see cref="NatKeepAlive"/>, so the router's UDP conntrack entry (30 s of silence on Linux) never expires and calls
/// can get in. No grain call per keep-alive; the registrar hears of a flow only when it fails.
/// </summary>
public sealed class NatKeepAliveOptions
{
    /// <summary>The configuration section (shared with the registrar grain's own keys).</summary>
    public const string Section = "CallControl:Registrar";

    /// <summary>
    /// How often a flow gets a keep-alive; default 25 s: below the 30 s of Linux's <c>nf_conntrack_udp_timeout</c>, the
    /// shortest UDP timeout common routers use (RFC 4787 REQ-5 asks for 2 min, few routers give it). 0 disables them.
    /// </summary>
    public TimeSpan NatKeepAlive { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>What is sent; default <see cref="NatKeepAliveMethod.Options"/>, the one that finds dead flows.</summary>
    public NatKeepAliveMethod NatKeepAliveMethod { get; set; } = NatKeepAliveMethod.Options;

    /// <summary>Consecutive unanswered OPTIONS after which the flow is dead and the registrar told; default 3 (75 s at the default interval).</summary>
    public int NatKeepAliveFailures { get; set; } = 3;

    /// <summary>
    /// Flows (source addresses and ports) one edge keeps open at most; default 500,000, about 100 MB. Beyond that a new
    /// flow is not kept open (counted as <c>refused</c>), so a flood of registrations cannot grow the table without bound.
    /// </summary>
    public int NatKeepAliveMaxFlows { get; set; } = 500_000;

    /// <summary>True when keep-alives are sent at all.</summary>
    public bool Enabled => NatKeepAlive > TimeSpan.Zero;
}
