using System.ComponentModel;
using CallControl.Grains.Flows;

namespace CallControl.Calls;

/// <summary>
/// One call's persisted state: the caller leg, every callee leg rung, the flow deciding the call, and what is
/// needed to build every later message. Written when a leg is dialled, when the call is answered (before the
/// 200 is relayed) and when it ends (ARCHITECTURE.md, "What is durable, and when"). Ids are append only;
/// ids 6–13, 22, 24 and 28–30 held the single callee leg of schema version 1.
/// </summary>
[GenerateSerializer, Alias("cc.dialog-state")]
public sealed class DialogState
{
    /// <summary>The state's schema version, for explicit upgrades of stored rows.</summary>
    [Id(0)] public int SchemaVersion { get; set; } = 2;

    [Id(1)] public DialogPhase Phase { get; set; }

    /// <summary>The caller's INVITE as received: responses to it copy its Via, From, To, Call-ID and CSeq.</summary>
    [Id(2)] public byte[]? CallerInvite { get; set; }

    /// <summary>Where the caller's INVITE came from (its connection, for stream transports).</summary>
    [Id(3)] public SipPeer? CallerPeer { get; set; }

    /// <summary>Our tag on the caller leg (the To tag of every response to the caller).</summary>
    [Id(4)] public string CallerTag { get; set; } = "";

    /// <summary>The last CSeq number we used for a request towards the caller.</summary>
    [Id(5)] public uint CallerLocalCSeq { get; set; }

    [Id(14)] public DateTimeOffset InviteTime { get; set; }

    [Id(15)] public DateTimeOffset? AnswerTime { get; set; }

    [Id(16)] public DateTimeOffset? EndTime { get; set; }

    /// <summary>The final status the caller's INVITE got.</summary>
    [Id(17)] public int FinalStatus { get; set; }

    [Id(18)] public CallDisposition? Disposition { get; set; }

    [Id(19)] public HangupParty HungUpBy { get; set; }

    /// <summary>True once the CDR is in the CDR store: a retried end writes nothing twice.</summary>
    [Id(20)] public bool CdrWritten { get; set; }

    /// <summary>The edge that received the INVITE: the caller leg's Via and Contact name it.</summary>
    [Id(21)] public EdgeInfo? Edge { get; set; }

    /// <summary>The route the call took.</summary>
    [Id(23)] public string? Route { get; set; }

    /// <summary>When ringing gives up altogether (480 to the caller, CANCEL to every leg); absolute, so a reactivated call re-arms it.</summary>
    [Id(25)] public DateTimeOffset? RingDeadline { get; set; }

    /// <summary>When an answered call is hung up by the system (BYE to both legs).</summary>
    [Id(26)] public DateTimeOffset? HangupDeadline { get; set; }

    /// <summary>In-dialog requests relayed across the legs and not yet answered.</summary>
    [Id(27)] public List<PendingRelay> Relays { get; set; } = [];

    /// <summary>Every callee leg rung, in the order they were started.</summary>
    [Id(31)] public List<CalleeLeg> Legs { get; set; } = [];

    /// <summary>The leg that answered (<see cref="CalleeLeg.Number"/>), or -1.</summary>
    /// <remarks>
    /// <see cref="DefaultValueAttribute"/>: the JSON grain storage serializer (memory storage, the embedded default)
    /// leaves out values equal to their default, by which it means this, not 0; otherwise leg 0's answer would read
    /// back as -1, the initializer's, when the call is reactivated.
    /// </remarks>
    [Id(32), DefaultValue(-1)] public int AnsweredLeg { get; set; } = -1;

    /// <summary>The flow deciding the call (a registered name).</summary>
    [Id(33)] public string Flow { get; set; } = "";

    /// <summary>The route's parameters for the flow (JSON), if any.</summary>
    [Id(34)] public string? FlowParameters { get; set; }

    /// <summary>The flow's own state (its type is the flow's; Orleans serialises it with ours).</summary>
    [Id(35)] public object? FlowState { get; set; }

    /// <summary>The route's targets, as the flow sees them.</summary>
    [Id(36)] public List<DialTarget> RouteTargets { get; set; } = [];

    /// <summary>How many dials the flow has asked for; legs carry the number of theirs.</summary>
    [Id(37)] public int DialNumber { get; set; }

    /// <summary>The dial ringing now, if any.</summary>
    [Id(38)] public Dial? CurrentDial { get; set; }

    /// <summary>For a sequential dial: which of its targets rings now.</summary>
    [Id(39)] public int DialCursor { get; set; }

    /// <summary>When the current ring (a dial's ring timeout) counts as no answer.</summary>
    [Id(40)] public DateTimeOffset? DialDeadline { get; set; }

    /// <summary>The answered call's longest duration as the flow set it (a prepaid balance), if shorter than the node's.</summary>
    [Id(41)] public TimeSpan? MaxDuration { get; set; }

    /// <summary>The last RSeq we used for a reliable provisional towards the caller (RFC 3262).</summary>
    [Id(42)] public uint CallerRSeq { get; set; }

    /// <summary>Reliable provisionals relayed to the caller, for its PRACKs.</summary>
    [Id(43)] public List<ReliableProvisional> Reliable { get; set; } = [];

    /// <summary>The facts the flow was given, kept so a reactivated call gives it the same ones.</summary>
    [Id(44)] public CallFacts? Facts { get; set; }

    /// <summary>A reminder is registered to wake the call at its dial deadline, or a parked call at its maximum duration (see .Timers).</summary>
    [Id(45)] public bool WakeUpRegistered { get; set; }

    /// <summary>The deadline the registered wake-up reminder is due at: a save that finds it unchanged writes no reminder.</summary>
    [Id(46)] public DateTimeOffset? WakeUpFor { get; set; }

    /// <summary>
    /// The call let its activation go (see .Park); the activation that reads this is its wake-up, and clears it in
    /// memory only (the next save writes that).
    /// </summary>
    [Id(47)] public bool Parked { get; set; }

    /// <summary>
    /// The caller's 2xx went out with <see cref="SipCommandFlags.EdgeTakesEmptyAck"/> (the callee leg was acknowledged at
    /// once): the edge keeps the caller's ACK, so an answered call counts as up unless the edge reports an ACK timeout.
    /// </summary>
    [Id(48)] public bool AckAtEdge { get; set; }

    /// <summary>
    /// The ng address of the rtpengine that anchors the call's media (set by the host at the first offer), so that any
    /// silo that reactivates the call talks to the same one; null while the media is not anchored.
    /// </summary>
    [Id(49)] public string? MediaEngine { get; set; }

    /// <summary>The caller's offer as rtpengine rewrote it: the body of every callee leg's INVITE (forks and hunting reuse it).</summary>
    [Id(50)] public byte[]? MediaOffer { get; set; }

    /// <summary>rtpengine holds a media session for the call: its end sends <c>delete</c> (once; cleared when sent).</summary>
    [Id(51)] public bool MediaAnchored { get; set; }

    /// <summary>The caller's last SDP as it sent it (the relay took it): what a re-anchor offers a new rtpengine.</summary>
    [Id(52)] public string? CallerSdp { get; set; }

    /// <summary>The answered callee's last SDP as it sent it: what a re-anchor answers on a new rtpengine.</summary>
    [Id(53)] public string? CalleeSdp { get; set; }

    /// <summary>
    /// How many times the media moved to another rtpengine: added to the session version (<c>o=</c>) of every SDP sent
    /// to a leg, so each party sees it only grow (RFC 3264 §8) although a new rtpengine starts from the other's.
    /// </summary>
    [Id(54)] public int MediaMoves { get; set; }

    /// <summary>The callee's media profile, from the route: offers toward any callee leg, and answers to its offers, get it.</summary>
    [Id(55)] public Grains.Routing.MediaProfile MediaCallee { get; set; }

    /// <summary>The caller's media profile, from its offer (plain RTP without one): offers toward it, and answers to its offers, get it.</summary>
    [Id(56)] public Grains.Routing.MediaProfile MediaCaller { get; set; }

    /// <summary>
    /// A late offer made in a callee's reliable provisional (RFC 3262): that callee's tag. Its answer comes in the
    /// caller's PRACK; the offer/answer of the INVITE is then done, and a 2xx that repeats the SDP brings nothing new.
    /// </summary>
    [Id(57)] public string? MediaEarlyOffer { get; set; }

    /// <summary>The session interval in seconds (RFC 4028): asked of the callee, then what its 2xx said; 0: no session timer.</summary>
    [Id(58)] public int SessionInterval { get; set; }

    /// <summary>The Min-SE the callee legs' INVITEs carry (ours, or the caller's when larger), and a 422 to the caller names.</summary>
    [Id(59)] public int SessionMinSe { get; set; }

    /// <summary>The caller supports session timers (Supported or Require: timer).</summary>
    [Id(60)] public bool CallerSessionTimer { get; set; }

    /// <summary>Who the caller's INVITE asked to refresh its side (<see cref="Sessions.Refresher"/>).</summary>
    [Id(61)] public Sessions.Refresher CallerRefresher { get; set; }

    /// <summary>We refresh the caller's side (re-INVITE or UPDATE to it); else it refreshes itself, or its session expires.</summary>
    [Id(62)] public bool RefreshCaller { get; set; }

    /// <summary>We refresh the callee's side.</summary>
    [Id(63)] public bool RefreshCallee { get; set; }

    /// <summary>When the caller's side was last refreshed (the answer, a refresh in either direction, one of ours).</summary>
    [Id(64)] public DateTimeOffset? CallerRefreshedAt { get; set; }

    /// <summary>When the callee's side was last refreshed.</summary>
    [Id(65)] public DateTimeOffset? CalleeRefreshedAt { get; set; }

    /// <summary>The answered callee lists UPDATE in its Allow: our refreshes to it are UPDATEs (else OPTIONS, in the dialog).</summary>
    [Id(66)] public bool CalleeAllowsUpdate { get; set; }

    /// <summary>A transfer under way (a REFER accepted, its target ringing), or null (docs/call-flows.md, "Transfers").</summary>
    [Id(67)] public PendingTransfer? Transfer { get; set; }

    /// <summary>The transfers the call went through, for its CDR (one record per call; each transfer a line of it).</summary>
    [Id(68)] public List<CallTransferRecord> Transfers { get; set; } = [];

    /// <summary>
    /// The callee leg on the caller's side once the caller transferred the call (its callee stays, the new party is the
    /// answered leg), or -1 while the caller leg is (CallMachine.CallerSide.cs). <see cref="DefaultValueAttribute"/>: see
    /// <see cref="AnsweredLeg"/>.
    /// </summary>
    [Id(69), DefaultValue(-1)] public int CallerSide { get; set; } = -1;

    /// <summary>
    /// The answered callee agreed to the session timer (Session-Expires in its 2xx): when we refresh it and it allows no
    /// UPDATE, our refreshes are re-INVITEs (a party without timers gets an OPTIONS, only to prove it is there).
    /// </summary>
    [Id(80)] public bool CalleeSessionTimer { get; set; }

    /// <summary>The last SDP we sent the caller, kept only while our refreshes to it are re-INVITEs: their offer, unchanged (RFC 4028 §7.4).</summary>
    [Id(81)] public byte[]? SdpToCaller { get; set; }

    /// <summary>The last SDP we sent the answered callee, kept only while our refreshes to it are re-INVITEs.</summary>
    [Id(82)] public byte[]? SdpToCallee { get; set; }

    /// <summary>
    /// The route's SIP normalisation (header policy, identity rewrite, number rules), as the call was routed; null: the
    /// default (nothing but the default headers crosses). Kept so a relay on any silo applies the policy the call started
    /// with, even after the route changed. Id 90, not the next free one: ids 67 onwards are left to the work on transfer
    /// and out-of-dialog requests that was under way at the same time, 80–82 are the session timers' (ids are append
    /// only, gaps are allowed).
    /// </summary>
    [Id(90)] public Grains.Routing.RoutePolicy? Policy { get; set; }

    /// <summary>The call's header policy (the default when its route has none).</summary>
    public Grains.Routing.HeaderPolicy HeaderPolicy => Policy?.Headers ?? Grains.Routing.HeaderPolicy.Default;

    /// <summary>The leg that answered, or null.</summary>
    public CalleeLeg? Answered => AnsweredLeg >= 0 ? Legs[AnsweredLeg] : null;
}
