using CallControl.Grains.Routing;

namespace CallControl.Calls;

/// <summary>Which media command a <see cref="MediaRequest"/> is (rtpengine's ng <c>offer</c>, <c>answer</c>, <c>delete</c>).</summary>
public enum MediaKind : byte
{
    /// <summary>An SDP offer: the reply's SDP goes to the other side.</summary>
    Offer,

    /// <summary>An SDP answer: the reply's SDP goes back to the offerer.</summary>
    Answer,

    /// <summary>The call's end: the media session goes, and its counts come back.</summary>
    Delete,

    /// <summary>
    /// The call's relay died: the session is made again on another, from the parties' last SDPs (an offer from the
    /// caller's, an answer from the callee's); the result carries an SDP for each leg.
    /// </summary>
    Reanchor,
}

/// <summary>
/// What an anchored call asks of its media relay (docs/media.md, "Anchoring a call"). Tags are the parties' own: the
/// caller's From tag, and the callee's tag from its leg's To; never the B2BUA's tags.
/// </summary>
/// <param name="Kind">The command.</param>
/// <param name="FromTag">Offer: the offerer's tag; answer: the offerer's tag (as in its offer); delete: the caller's tag.</param>
/// <param name="ToTag">Offer: the other side's tag when known; answer: the answerer's tag; delete: the answered callee's tag, if any.</param>
/// <param name="Sdp">The SDP of the offer or answer (null for a delete).</param>
/// <param name="Source">The host the SDP's sender signals from (its media address when the SDP's is not to be trusted).</param>
public sealed record MediaRequest(MediaKind Kind, string FromTag, string? ToTag, string? Sdp, string? Source)
{
    /// <summary>Reanchor: the answerer's (callee's) last SDP.</summary>
    public string? AnswerSdp { get; init; }

    /// <summary>Reanchor: the host the answerer signals from.</summary>
    public string? AnswerSource { get; init; }

    /// <summary>
    /// The profile of the party the rewritten SDP goes to (an offer's other side, an answer's offerer): the route's
    /// for the callee, the caller's own for the caller (docs/media.md, "SRTP and WebRTC per route").
    /// </summary>
    public MediaProfile Toward { get; init; }
}

/// <summary>The answer to a <see cref="MediaRequest"/>.</summary>
/// <param name="Ok">The relay did it.</param>
/// <param name="Sdp">Offer or answer: the SDP rewritten to the relay's addresses, for the other side.</param>
/// <param name="Failure">Why not, when not.</param>
/// <param name="Stats">Delete: the call's media counts, when the relay gave them.</param>
public sealed record MediaResult(bool Ok, string? Sdp = null, string? Failure = null, CallMediaRecord? Stats = null)
{
    /// <summary>Reanchor: the SDP for the offerer (the caller); <see cref="Sdp"/> is the callee's.</summary>
    public string? AnswerSdp { get; init; }

    /// <summary>A failure, with its reason.</summary>
    public static MediaResult Failed(string reason) => new(false, Failure: reason);
}
