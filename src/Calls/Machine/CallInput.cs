using CallControl.Grains.Routing;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>What a call's machine is given: a message from a leg, a timer, or the answer to its last question.</summary>
public abstract record CallInput;

/// <summary>A request on either leg, parsed once by the host.</summary>
/// <param name="Request">The parsed request.</param>
/// <param name="Inbound">Its bytes, where it came from and through which edge.</param>
public sealed record RequestArrived(SipMessage Request, SipInbound Inbound) : CallInput;

/// <summary>A response on either leg to a request the call sent.</summary>
public sealed record ResponseArrived(SipMessage Response) : CallInput;

/// <summary>A request the call sent got no final response: a timeout (as 408) or a transport error (as 503).</summary>
public sealed record RequestFailed(ClientFailure Failure) : CallInput;

/// <summary>The caller never acknowledged a 2xx the call sent it (RFC 3261 §13.3.1.4; the edge's Timer L, RFC 6026).</summary>
public sealed record AckNeverCame(string CallId, uint CSeq) : CallInput;

/// <summary>The call's timer fired: whichever deadline has passed (ring, dial, maximum duration) is acted on.</summary>
public sealed record TimerFired : CallInput
{
    /// <summary>The one instance (it carries nothing).</summary>
    public static TimerFired Instance { get; } = new();
}

/// <summary>
/// The rtpengine at <paramref name="Engine"/> stopped answering (docs/media.md, "When an rtpengine dies"): an
/// answered call anchored there moves its media to another and tells both parties with a re-INVITE.
/// </summary>
public sealed record MediaLost(string Engine) : CallInput;

/// <summary>The answer to <see cref="RouteQuestion"/>: the dial plan's route, or null when there is none.</summary>
public sealed record Routed(RouteDecision? Route) : CallInput;

/// <summary>The answer to <see cref="FlowQuestion"/>: the flow's next action (the host turns a missing or failing flow into a 500 refusal).</summary>
public sealed record FlowDecided(FlowAction Action) : CallInput;

/// <summary>The answer to <see cref="MediaQuestion"/> (the host turns every failure, a timeout included, into one with a reason).</summary>
public sealed record MediaDone(MediaResult Result) : CallInput;

/// <summary>The answer to <see cref="AuthQuestion"/>: the header value to send, or null when the route has no credentials that answer it.</summary>
public sealed record Authorized(string? Header) : CallInput;

/// <summary>
/// The answer to <see cref="TransferQuestion"/>: the flow's decision and, when it allows the transfer, the targets the
/// dial plan gives for it (located as any dial's; empty: no route, and the transfer fails 404).
/// </summary>
public sealed record TransferDecided(TransferDecision Decision, IReadOnlyList<DialTarget> Targets) : CallInput;

/// <summary>The answer to <see cref="StoreQuestion"/>.</summary>
/// <param name="Stored">The save was stored (false: the store is down, and the save waits for its retry).</param>
/// <param name="EverStored">The call has a stored row from an earlier save.</param>
public sealed record StateSaved(bool Stored, bool EverStored) : CallInput;
