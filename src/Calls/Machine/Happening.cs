using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>What an input is, in RFC 3261 words, once classified: the phase handlers switch on this alone.</summary>
internal enum HappeningKind : byte
{
    /// <summary>Nothing the call waits for: a response or failure that answers nothing, a timer with nothing due.</summary>
    Nothing,

    /// <summary>A request on a Call-ID no leg of this call has (481, RFC 3261 §12.2.2).</summary>
    UnknownDialog,

    /// <summary>The caller's INVITE without a To tag: the call's start (§13.3), or the same INVITE through another edge.</summary>
    InitialInvite,

    /// <summary>The caller's ACK: of our 2xx (§13.3.1.4), or of a relayed re-INVITE's.</summary>
    CallerAck,

    /// <summary>The caller's CANCEL (§9.2).</summary>
    CallerCancel,

    /// <summary>The caller's BYE (§15.1.2).</summary>
    CallerBye,

    /// <summary>The caller's PRACK of a reliable provisional (RFC 3262 §3).</summary>
    CallerPrack,

    /// <summary>The caller's OPTIONS (§11.2).</summary>
    CallerOptions,

    /// <summary>Any other known request in the caller's dialog (a To tag): re-INVITE, UPDATE, INFO, MESSAGE, ... relayed (§14).</summary>
    CallerRequest,

    /// <summary>An unknown method, or a request outside the dialog the call cannot serve (481 or 501).</summary>
    CallerUnsupported,

    /// <summary>A provisional response to a leg's INVITE (§13.2.2.1; early dialog §12.1.2).</summary>
    LegProvisional,

    /// <summary>A 2xx to a leg's INVITE (§13.2.2.4).</summary>
    LegSuccess,

    /// <summary>A 3xx–6xx to a leg's INVITE while the leg still waited for its final response (§13.2.2.3).</summary>
    LegFailure,

    /// <summary>A 401 or 407 to a leg's INVITE while the leg still waited for its final response: the trunk wants credentials (§22.2).</summary>
    LegChallenged,

    /// <summary>A 401 or 407 to a BYE we sent on a callee leg (§22.2).</summary>
    ByeChallenged,

    /// <summary>A leg's INVITE got no final response: timeout (408) or transport error (503), §8.1.3.1.</summary>
    LegUnreachable,

    /// <summary>A callee's BYE.</summary>
    CalleeBye,

    /// <summary>A callee's ACK (of a relayed re-INVITE's 2xx).</summary>
    CalleeAck,

    /// <summary>A callee's OPTIONS.</summary>
    CalleeOptions,

    /// <summary>Any other known request from a callee: relayed when it is the leg that answered.</summary>
    CalleeRequest,

    /// <summary>An unknown method from a callee.</summary>
    CalleeUnsupported,

    /// <summary>A response to a request relayed from the other leg.</summary>
    RelayedResponse,

    /// <summary>A request relayed from the other leg got no final response.</summary>
    RelayFailed,

    /// <summary>The caller's 2xx was never acknowledged (§13.3.1.4).</summary>
    AckTimeout,

    /// <summary>The call's own ring timeout passed (CallControl:Calls:RingTimeout).</summary>
    RingTimeout,

    /// <summary>The current dial's ring timeout passed (the flow's).</summary>
    DialTimeout,

    /// <summary>The answered call's maximum duration passed.</summary>
    MaxDuration,

    /// <summary>The session timer (RFC 4028): a refresh of ours is due on a side, or a side let its session expire.</summary>
    SessionTimer,

    /// <summary>The rtpengine this anchored call's media goes through died.</summary>
    MediaLost,

    /// <summary>A transfer's target did not answer within the ring timeout (CallMachine.Transfer.cs).</summary>
    TransferTimeout,
}

/// <summary>A classified input: what happened, and on which leg or relay.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">The request or response, when there is one.</param>
/// <param name="Inbound">The request as it arrived (its bytes, source and edge), for requests.</param>
/// <param name="Leg">The callee leg it happened on, if any.</param>
/// <param name="Relay">The index of the relayed request it answers, or -1.</param>
/// <param name="Status">A leg's or relay's status when no response carries it (408 or 503 for no response).</param>
internal readonly record struct Happening(
    HappeningKind Kind, SipMessage? Message = null, SipInbound? Inbound = null, CalleeLeg? Leg = null, int Relay = -1, int Status = 0)
{
    public static Happening Nothing => default;

    /// <summary>The request (for request kinds).</summary>
    public SipMessage Request => Message!;

    /// <summary>Where the request came from.</summary>
    public SipPeer Source => Inbound!.Source;
}
