using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>An <c>offer</c>: the offerer's SDP (caller's INVITE, or either side's re-offer); the reply's SDP goes to the other side.</summary>
/// <param name="CallId">The call's id at rtpengine (one per anchored call; need not be a SIP Call-ID).</param>
/// <param name="FromTag">The offerer's tag.</param>
/// <param name="Sdp">The offerer's SDP, CRLF line ends.</param>
public sealed record OfferRequest(string CallId, string FromTag, string Sdp)
{
    /// <summary>How rtpengine treats the SDP.</summary>
    public MediaFlags Media { get; init; } = MediaFlags.Default;

    /// <summary>[to-tag] the other side's tag, for a re-offer in an established dialog (either side's); null on a new call.</summary>
    public string? ToTag { get; init; }

    /// <summary>The request as ng arguments.</summary>
    internal BencodeDictionary ToArguments() => NgRequests.Sdp(CallId, FromTag, ToTag, Sdp, Media);
}

/// <summary>An <c>answer</c>: the answerer's SDP; the reply's SDP goes back to the offerer.</summary>
/// <param name="CallId">The call's id at rtpengine, as in the offer.</param>
/// <param name="FromTag">The offerer's tag, as in the offer.</param>
/// <param name="ToTag">The answerer's tag.</param>
/// <param name="Sdp">The answerer's SDP, CRLF line ends.</param>
public sealed record AnswerRequest(string CallId, string FromTag, string ToTag, string Sdp)
{
    /// <summary>How rtpengine treats the SDP.</summary>
    public MediaFlags Media { get; init; } = MediaFlags.Default;

    /// <summary>The request as ng arguments.</summary>
    internal BencodeDictionary ToArguments() => NgRequests.Sdp(CallId, FromTag, ToTag, Sdp, Media);
}

/// <summary>
/// A <c>delete</c>: ends the call's media session and returns its statistics. rtpengine 10.5 returns the statistics
/// only when the <c>from-tag</c> is given (a delete by call-id alone answers a bare <c>result: ok</c>), so it is required.
/// </summary>
/// <param name="CallId">The call's id at rtpengine.</param>
/// <param name="FromTag">The offerer's tag, as in the offer.</param>
public sealed record DeleteRequest(string CallId, string FromTag)
{
    /// <summary>[to-tag] deletes only the branch to this tag (a forked call's losing branch); null: the whole call.</summary>
    public string? ToTag { get; init; }

    /// <summary>[delete-delay] seconds rtpengine keeps the call after the delete; default 0 (gone at once; rtpengine's own default is 30).</summary>
    public int? DeleteDelay { get; init; }

    /// <summary>The request as ng arguments.</summary>
    internal BencodeDictionary ToArguments()
    {
        ArgumentException.ThrowIfNullOrEmpty(CallId);
        ArgumentException.ThrowIfNullOrEmpty(FromTag);
        var request = new BencodeDictionary { ["call-id"] = CallId, ["from-tag"] = FromTag, ["delete-delay"] = DeleteDelay ?? 0 };
        request["to-tag"] = ToTag is null ? null : (BencodeValue)ToTag;
        return request;
    }
}

/// <summary>The argument dictionaries the typed requests share.</summary>
internal static class NgRequests
{
    public static BencodeDictionary Sdp(string callId, string fromTag, string? toTag, string sdp, MediaFlags media)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentException.ThrowIfNullOrEmpty(fromTag);
        ArgumentException.ThrowIfNullOrEmpty(sdp);
        var request = new BencodeDictionary { ["call-id"] = callId, ["from-tag"] = fromTag, ["sdp"] = sdp };
        request["to-tag"] = toTag is null ? null : (BencodeValue)toTag;
        media.AddTo(request);
        return request;
    }
}
