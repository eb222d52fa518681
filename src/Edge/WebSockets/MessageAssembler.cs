namespace CallControl.Edge.WebSockets;

/// <summary>What one received piece of a WebSocket message made.</summary>
internal enum AssemblyStatus
{
    /// <summary>The message goes on in the next piece.</summary>
    NeedMore,

    /// <summary>A whole message, within the limit.</summary>
    Complete,

    /// <summary>The message passed the limit: the connection is to be closed with 1009, the rest never read.</summary>
    TooBig,
}

/// <summary>What a whole WebSocket message is to SIP.</summary>
internal enum MessageKind
{
    /// <summary>A SIP message (or bytes that claim to be: the parser judges).</summary>
    Sip,

    /// <summary>Exactly CRLF CRLF: RFC 5626 §4.4.1's ping, which SIP.js sends over WebSocket and answers a CRLF pong to.</summary>
    Ping,

    /// <summary>Only CRLFs, or nothing: a keep-alive with no answer.</summary>
    Blank,
}

/// <summary>
/// Joins the pieces of one WebSocket message (one SIP message per message, RFC 7118 §5.1; text or binary alike) up to a
/// size limit, so a client's oversized message costs at most the limit, and never a buffer the client chose. Plain code:
/// the connection feeds it what each receive returned.
/// </summary>
internal sealed class MessageAssembler(int maxBytes)
{
    private byte[]? _buffer;
    private int _length;

    /// <summary>Adds a received piece; on <see cref="AssemblyStatus.Complete"/>, <paramref name="message"/> is the whole message, a new array the caller owns.</summary>
    public AssemblyStatus Append(ReadOnlySpan<byte> piece, bool endOfMessage, out byte[]? message)
    {
        message = null;
        if (piece.Length > maxBytes - _length)
        {
            Reset();
            return AssemblyStatus.TooBig;
        }

        if (endOfMessage && _length == 0)
        {
            message = piece.ToArray(); // the common case: the message came in one piece, copied once
            return AssemblyStatus.Complete;
        }

        if (_buffer is null || _buffer.Length - _length < piece.Length)
        {
            // Grows by doubling, never past the limit: what is held is at most maxBytes, whatever the client announced.
            var size = Math.Min(maxBytes, Math.Max(_length + piece.Length, Math.Max(4096, (_buffer?.Length ?? 0) * 2)));
            Array.Resize(ref _buffer, size);
        }

        piece.CopyTo(_buffer.AsSpan(_length));
        _length += piece.Length;
        if (!endOfMessage)
        {
            return AssemblyStatus.NeedMore;
        }

        message = _buffer.AsSpan(0, _length).ToArray();
        Reset();
        return AssemblyStatus.Complete;
    }

    /// <summary>What a whole message is: SIP, a CRLF CRLF ping, or blank.</summary>
    public static MessageKind Classify(ReadOnlySpan<byte> message)
    {
        if (message.SequenceEqual("\r\n\r\n"u8))
        {
            return MessageKind.Ping;
        }

        return message.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0 ? MessageKind.Blank : MessageKind.Sip;
    }

    // A finished or refused message leaves nothing behind: an idle connection holds no message buffer.
    private void Reset()
    {
        _buffer = null;
        _length = 0;
    }
}
