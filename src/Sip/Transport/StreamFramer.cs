using System.Buffers;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Transport;

/// <summary>What the framer found at the front of a stream buffer.</summary>
public enum FrameStatus : byte
{
    /// <summary>Not enough bytes yet.</summary>
    NeedMore,

    /// <summary>A whole message was taken off the buffer.</summary>
    Message,

    /// <summary>A CRLFCRLF keep-alive ping was taken off the buffer (RFC 5626 §4.4.1): answer with CRLF.</summary>
    Ping,

    /// <summary>A lone CRLF (a pong, or padding between messages) was taken off the buffer.</summary>
    Pong,

    /// <summary>The stream cannot be framed (no or bad Content-Length, oversized headers): close it.</summary>
    Invalid,
}

/// <summary>
/// Splits a SIP byte stream into messages by the blank line and Content-Length (RFC 3261 §18.3).
/// Works on a <see cref="ReadOnlySequence{T}"/> from a <see cref="System.IO.Pipelines.PipeReader"/>.
/// </summary>
public static class StreamFramer
{
    /// <summary>
    /// Takes one item off the front of <paramref name="buffer"/>. On <see cref="FrameStatus.Message"/>,
    /// <paramref name="message"/> is a fresh copy the caller owns.
    /// </summary>
    public static FrameStatus TryFrame(ref ReadOnlySequence<byte> buffer, out byte[] message)
    {
        message = [];
        var reader = new SequenceReader<byte>(buffer);
        if (reader.IsNext("\r\n\r\n"u8, advancePast: true))
        {
            buffer = buffer.Slice(reader.Position);
            return FrameStatus.Ping;
        }

        if (reader.IsNext("\r\n"u8))
        {
            // A lone CRLF is a pong; wait for more bytes while it could still be the start of a ping.
            if (buffer.Length == 2 || (buffer.Length == 3 && buffer.Slice(2, 1).FirstSpan[0] == '\r'))
            {
                return FrameStatus.NeedMore;
            }

            buffer = buffer.Slice(2);
            return FrameStatus.Pong;
        }

        if (!reader.TryReadTo(out ReadOnlySequence<byte> headers, "\r\n\r\n"u8, advancePastDelimiter: true))
        {
            return buffer.Length > SipLimits.MaxMessageBytes ? FrameStatus.Invalid : FrameStatus.NeedMore;
        }

        if (headers.Length > SipLimits.MaxMessageBytes)
        {
            return FrameStatus.Invalid;
        }

        var headerBytes = headers.IsSingleSegment ? headers.FirstSpan : headers.ToArray();
        if (!TryFindContentLength(headerBytes, out var bodyLength) || headers.Length + 4 + bodyLength > SipLimits.MaxMessageBytes)
        {
            return FrameStatus.Invalid;
        }

        if (reader.Remaining < bodyLength)
        {
            return FrameStatus.NeedMore;
        }

        var total = headers.Length + 4 + bodyLength;
        message = buffer.Slice(0, total).ToArray();
        buffer = buffer.Slice(total);
        return FrameStatus.Message;
    }

    /// <summary>Finds Content-Length (or its compact form "l") among the header lines.</summary>
    internal static bool TryFindContentLength(ReadOnlySpan<byte> headers, out int length)
    {
        length = 0;
        var found = false;
        while (!headers.IsEmpty)
        {
            var end = headers.IndexOf("\r\n"u8);
            var line = end < 0 ? headers : headers[..end];
            headers = end < 0 ? default : headers[(end + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "l"u8))
            {
                // Only SP and HTAB around the digits: a bare CR or any other control character there is no framing to trust.
                if (found || !ByteScan.TryParseInt(line[(colon + 1)..].Trim(" \t"u8), out length))
                {
                    return false;
                }

                found = true;
            }
        }

        return found;
    }
}
