namespace CallControl.Sip.Parsing;

/// <summary>Why a message was not accepted. Closed: <see cref="SipRejections"/> maps each to what the wire sees.</summary>
public enum SipParseError : byte
{
    None = 0,

    /// <summary>Stream transports only: the message is not complete yet; read more bytes.</summary>
    Incomplete,

    /// <summary>Only CRLFs: a keep-alive (RFC 5626 §4.4.1), not an error.</summary>
    KeepAlive,
    TooLarge,
    MalformedStartLine,
    MalformedRequestUri,
    UnsupportedVersion,
    MalformedHeaderLine,
    HeaderNameTooLong,
    HeaderLineTooLong,
    RequestUriTooLong,
    TooManyHeaders,
    MissingHeader,
    DuplicateHeader,
    MalformedHeaderValue,
    CSeqMethodMismatch,
    BodyShorterThanContentLength,

    /// <summary>A header value holds a control character the grammar does not allow there (<see cref="ControlCharacters"/>).</summary>
    ControlCharacter,
}

/// <summary>The outcome of a failed parse: the reason and, where one is to blame, the header.</summary>
public readonly record struct SipParseFailure(SipParseError Error, Headers.HeaderId Header = Headers.HeaderId.Unknown)
{
    /// <summary>A human-readable description that names the problem (used as the 400's reason phrase).</summary>
    public string Describe() => SipRejections.ReasonPhrase(this);
}
