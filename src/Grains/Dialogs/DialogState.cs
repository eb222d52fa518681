using CallControl.Grains;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// One call's persisted state: both legs' dialog identifiers and what is needed to build every later
/// message on them. Written when the INVITE is routed, when the call is answered (before the 200 is
/// relayed) and when it ends (ARCHITECTURE.md, "What is durable, and when"). Ids are append only.
/// </summary>
[GenerateSerializer, Alias("cc.dialog-state")]
public sealed class DialogState
{
    /// <summary>The state's schema version, for explicit upgrades of stored rows.</summary>
    [Id(0)] public int SchemaVersion { get; set; } = 1;

    [Id(1)] public DialogPhase Phase { get; set; }

    /// <summary>The caller's INVITE as received: responses to it copy its Via, From, To, Call-ID and CSeq.</summary>
    [Id(2)] public byte[]? CallerInvite { get; set; }

    /// <summary>Where the caller's INVITE came from (its connection, for stream transports).</summary>
    [Id(3)] public SipPeer? CallerPeer { get; set; }

    /// <summary>Our tag on the caller leg (the To tag of every response to the caller).</summary>
    [Id(4)] public string CallerTag { get; set; } = "";

    /// <summary>The last CSeq number we used for a request towards the caller.</summary>
    [Id(5)] public uint CallerLocalCSeq { get; set; }

    /// <summary>The INVITE we sent on the callee leg: the CANCEL and the ACK are built from it.</summary>
    [Id(6)] public byte[]? CalleeInvite { get; set; }

    /// <summary>Where the callee leg goes.</summary>
    [Id(7)] public SipPeer? CalleePeer { get; set; }

    /// <summary>The callee leg's Call-ID (derived from the caller's by <see cref="CallIdCodec"/>).</summary>
    [Id(8)] public string? CalleeCallId { get; set; }

    /// <summary>The callee's To header (with its tag) from the response that answered, or the first provisional.</summary>
    [Id(9)] public string? CalleeTo { get; set; }

    /// <summary>The callee's Contact: the remote target of in-dialog requests on the callee leg.</summary>
    [Id(10)] public string? CalleeTarget { get; set; }

    /// <summary>The callee leg's route set (Record-Route of the 2xx, reversed: RFC 3261 §12.1.2).</summary>
    [Id(11)] public List<string> CalleeRouteSet { get; set; } = [];

    /// <summary>The last CSeq number we used on the callee leg.</summary>
    [Id(12)] public uint CalleeLocalCSeq { get; set; }

    /// <summary>The ACK we sent for the callee's 2xx, resent when the 2xx is retransmitted.</summary>
    [Id(13)] public byte[]? CalleeAck { get; set; }

    [Id(14)] public DateTimeOffset InviteTime { get; set; }

    [Id(15)] public DateTimeOffset? AnswerTime { get; set; }

    [Id(16)] public DateTimeOffset? EndTime { get; set; }

    /// <summary>The final status the caller's INVITE got.</summary>
    [Id(17)] public int FinalStatus { get; set; }

    [Id(18)] public CallDisposition? Disposition { get; set; }

    [Id(19)] public HangupParty HungUpBy { get; set; }

    /// <summary>True once the CDR is in the CDR store: a retried end writes nothing twice.</summary>
    [Id(20)] public bool CdrWritten { get; set; }

    /// <summary>The edge that received the INVITE: its Via and Contact addresses go into the messages we build.</summary>
    [Id(21)] public EdgeInfo? Edge { get; set; }

    /// <summary>The caller cancelled before the callee sent any provisional response: CANCEL goes out on the first one (RFC 3261 §9.1).</summary>
    [Id(22)] public bool CancelPending { get; set; }

    /// <summary>The route the call took.</summary>
    [Id(23)] public string? Route { get; set; }

    /// <summary>The callee leg's Request-URI.</summary>
    [Id(24)] public string? CalleeUri { get; set; }

    /// <summary>When ringing gives up (480 to the caller, CANCEL to the callee); absolute, so a reactivated call re-arms it.</summary>
    [Id(25)] public DateTimeOffset? RingDeadline { get; set; }

    /// <summary>When an answered call is hung up by the system (BYE to both legs).</summary>
    [Id(26)] public DateTimeOffset? HangupDeadline { get; set; }

    /// <summary>In-dialog requests relayed across the legs and not yet answered.</summary>
    [Id(27)] public List<PendingRelay> Relays { get; set; } = [];

    /// <summary>The route's targets in the order they are tried.</summary>
    [Id(28)] public List<string> Targets { get; set; } = [];

    /// <summary>Which target the current callee leg goes to.</summary>
    [Id(29)] public int TargetIndex { get; set; }

    /// <summary>Per target, the connection to send through (a registered TCP binding's), or null.</summary>
    [Id(30)] public List<SipPeer?> TargetHops { get; set; } = [];
}
