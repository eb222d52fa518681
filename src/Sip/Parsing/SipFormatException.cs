namespace CallControl.Sip.Parsing;

/// <summary>
/// Thrown by a typed header accessor when the value does not parse. Only the message-handling boundary
/// catches it (see <see cref="Messages.SipMessage.TryParseDialogHeaders"/>), where it becomes a 400.
/// </summary>
public sealed class SipFormatException : Exception
{
    /// <summary>Creates the exception for a failure.</summary>
    public SipFormatException(SipParseFailure failure)
        : base(failure.Describe()) => Failure = failure;

    /// <summary>Required by the exception design rules; prefer the failure overload.</summary>
    public SipFormatException() : this(new SipParseFailure(SipParseError.MalformedHeaderValue))
    {
    }

    /// <summary>Required by the exception design rules; prefer the failure overload.</summary>
    public SipFormatException(string message) : base(message) => Failure = new(SipParseError.MalformedHeaderValue);

    /// <summary>Required by the exception design rules; prefer the failure overload.</summary>
    public SipFormatException(string message, Exception inner) : base(message, inner) => Failure = new(SipParseError.MalformedHeaderValue);

    /// <summary>What was wrong.</summary>
    public SipParseFailure Failure { get; }
}
