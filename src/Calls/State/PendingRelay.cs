namespace CallControl.Calls;

/// <summary>Which leg of the call a message travels on.</summary>
public enum CallLeg : byte
{
    Caller,
    Callee,
}

/// <summary>
/// An in-dialog request (re-INVITE, UPDATE, INFO, ...) the grain relayed from one leg to the other, waiting
/// for the far side's final response, which goes back to the original request. Persisted with the state.
/// </summary>
[GenerateSerializer, Alias("cc.pending-relay")]
public sealed class PendingRelay
{
    /// <summary>The leg the relayed request was sent on.</summary>
    [Id(0)] public CallLeg SentOn { get; set; }

    /// <summary>Its CSeq number on that leg.</summary>
    [Id(1)] public uint CSeq { get; set; }

    /// <summary>Its method.</summary>
    [Id(2)] public string Method { get; set; } = "";

    /// <summary>The request as it arrived on the other leg: the response is built from it.</summary>
    [Id(3)] public byte[] Original { get; set; } = [];

    /// <summary>Where the original came from.</summary>
    [Id(4)] public SipPeer OriginalPeer { get; set; } = null!;

    /// <summary>For a re-INVITE without an offer: its 2xx was relayed, and the answer will come in the ACK.</summary>
    [Id(5)] public bool AwaitingAck { get; set; }

    /// <summary>For a request sent on a callee leg: which one (<see cref="CalleeLeg.Number"/>).</summary>
    [Id(6)] public int Leg { get; set; }

    /// <summary>The original's CSeq number (its ACK repeats it); 0 in relays stored before it was kept: then read from <see cref="Original"/>.</summary>
    [Id(7)] public uint OriginalCSeq { get; set; }

    /// <summary>
    /// A request the call made on its own (a re-INVITE that moves the media, CallMachine.Reanchor.cs): no original to
    /// answer; its 2xx is acknowledged at once.
    /// </summary>
    [Id(8)] public bool Own { get; set; }

    /// <summary>
    /// The body sent in place of the original's (the media relay's rewrite, an own re-INVITE's offer), null when the
    /// original's went: what the request carries again when a trunk challenges it (docs/interop.md, "Outbound authentication").
    /// </summary>
    [Id(30)] public byte[]? Sdp { get; set; }

    /// <summary>
    /// An own request that refreshes a side's session (RFC 4028): an UPDATE, a re-INVITE offering the side's last SDP
    /// again, or an OPTIONS. Its answer refreshes the side, or (481, 408, none) ends the call as expired.
    /// </summary>
    [Id(40)] public bool SessionRefresh { get; set; }

    /// <summary>True for our session refreshes, including those stored before <see cref="SessionRefresh"/> was kept (own UPDATEs and OPTIONS).</summary>
    public bool IsSessionRefresh() => Own && (SessionRefresh || Method is "UPDATE" or "OPTIONS");
}
