using CallControl.Sip.Headers;

namespace CallControl.Sip.Parsing;

/// <summary>
/// The one table that maps each parse failure to its SIP response (RFC 3261 §8.2, §16.3, §21), or to
/// "drop silently" where no response may be sent.
/// </summary>
public static class SipRejections
{
    /// <summary>The status to answer a rejected request with; 0 means drop it without answering.</summary>
    public static int StatusCode(SipParseFailure failure) => failure.Error switch
    {
        SipParseError.Incomplete or SipParseError.KeepAlive or SipParseError.None => 0,
        SipParseError.TooLarge => 513,
        SipParseError.UnsupportedVersion => 505,
        SipParseError.RequestUriTooLong => 414,
        _ => 400,
    };

    /// <summary>A reason phrase that says what was wrong, so the sender's log explains the rejection.</summary>
    public static string ReasonPhrase(SipParseFailure failure)
    {
        var header = HeaderTable.Get(failure.Header)?.Name ?? "header";
        return failure.Error switch
        {
            SipParseError.TooLarge => "Message Too Large",
            SipParseError.UnsupportedVersion => "SIP Version Not Supported",
            SipParseError.MalformedStartLine => "Bad Request - Malformed Start Line",
            SipParseError.MalformedRequestUri => "Bad Request - Malformed Request-URI",
            SipParseError.MalformedHeaderLine => "Bad Request - Malformed Header Line",
            SipParseError.HeaderNameTooLong => "Bad Request - Header Name Too Long",
            SipParseError.HeaderLineTooLong => "Bad Request - Header Line Too Long",
            SipParseError.RequestUriTooLong => "Request-URI Too Long",
            SipParseError.TooManyHeaders => "Bad Request - Too Many Headers",
            SipParseError.MissingHeader => $"Bad Request - Missing {header}",
            SipParseError.DuplicateHeader => $"Bad Request - Multiple {header} Values",
            SipParseError.MalformedHeaderValue => $"Bad Request - Malformed {header}",
            SipParseError.CSeqMethodMismatch => "Bad Request - CSeq Method Does Not Match",
            SipParseError.BodyShorterThanContentLength => "Bad Request - Content-Length Exceeds Body",
            SipParseError.ControlCharacter => failure.Header == HeaderId.Unknown
                ? "Bad Request - Control Character in Header Value"
                : $"Bad Request - Control Character in {header}",
            _ => "Bad Request",
        };
    }
}
