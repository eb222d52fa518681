namespace CallControl.Grains;

/// <summary>
/// One call: a back-to-back user agent that owns the caller leg and the callee leg (ARCHITECTURE.md).
/// Keyed by the caller leg's Call-ID. Every method is idempotent: a message that arrives again, through
/// the same edge or another, changes nothing twice.
/// </summary>
[Alias("cc.dialog")]
public interface IDialogGrain : IGrainWithStringKey
{
    /// <summary>A request on either leg (INVITE, ACK, BYE, CANCEL, ...), once per server transaction.</summary>
    [Alias("request")]
    Task<SipCommand[]> OnRequest(SipInbound request);

    /// <summary>A response on either leg to a request the grain sent.</summary>
    [Alias("response")]
    Task<SipCommand[]> OnResponse(SipInbound response);

    /// <summary>A request the grain sent got no final response: timeout or transport error.</summary>
    [Alias("client-failure")]
    Task<SipCommand[]> OnClientFailure(ClientFailure failure);

    /// <summary>A 2xx the grain sent on the caller leg was never acknowledged (RFC 3261 §13.3.1.4).</summary>
    [Alias("ack-timeout")]
    Task<SipCommand[]> OnAckTimeout(string callId, uint cseq);

    /// <summary>
    /// Attended transfer (RFC 3891): when the dialog <paramref name="callId"/> (tags as its other party sees them) is one
    /// of this answered call's, the party at its far end, to be dialled with a <c>Replaces</c> header naming its dialog
    /// with this call; else null.
    /// </summary>
    [Alias("far-party")]
    Task<FarPartyTarget?> FarPartyOf(string callId, string toTag, string fromTag);

    /// <summary>
    /// A silo died and this call may have been there (docs/reliability.md, "Calls a dead silo held"): being called is
    /// the point, as the activation re-arms the call's deadlines from its stored state. Nothing for a call already active.
    /// </summary>
    [Alias("wake")]
    Task Wake();

    /// <summary>
    /// The rtpengine at <paramref name="engine"/> died: a call anchored there moves its media to another and sends
    /// both parties a re-INVITE (docs/media.md, "When an rtpengine dies").
    /// </summary>
    [Alias("media-lost")]
    Task<Media.MediaLostOutcome> OnMediaLost(string engine);
}
