using System.Buffers;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Sip.Parsing;

/// <summary>
/// Parses one SIP message from bytes: splits and indexes the start line and the header lines, checks the
/// headers every message must have, and frames the body. Typed header values are parsed later, on access.
/// Never throws on bad input: a failure is a <see cref="SipParseFailure"/>.
/// </summary>
public static class SipParser
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> SipVersion => "SIP/2.0"u8;

    // RFC 3261 §25.1 token characters, for method names and header names.
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    /// <summary>Parses a whole datagram (RFC 3261 §18.3: Content-Length, when present, bounds the body).</summary>
    public static bool TryParse(ReadOnlyMemory<byte> datagram, out SipMessage message, out SipParseFailure failure)
        => TryParse(datagram, isStream: false, out message, out failure);

    /// <summary>Parses a message this node built (or stored), which must be valid: throws <see cref="SipFormatException"/> if not.</summary>
    public static SipMessage ParseTrusted(ReadOnlyMemory<byte> data)
        => TryParse(data, isStream: false, out var message, out var failure) ? message : throw new SipFormatException(failure);

    /// <summary>
    /// Parses one message; <paramref name="isStream"/> says the bytes came from a stream transport, where
    /// Content-Length is mandatory and frames the body exactly (RFC 3261 §18.3).
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> data, bool isStream, out SipMessage message, out SipParseFailure failure)
    {
        message = null!;
        if (data.Length > SipLimits.MaxMessageBytes)
        {
            failure = new(SipParseError.TooLarge);
            return false;
        }

        // RFC 3261 §7.5: CRLFs before the start line are ignored; only CRLFs is a keep-alive.
        var span = data.Span;
        var start = 0;
        while (start + 1 < span.Length && span[start] == '\r' && span[start + 1] == '\n')
        {
            start += 2;
        }

        if (start >= span.Length || span[start..].Trim("\r\n"u8).IsEmpty)
        {
            failure = new(SipParseError.KeepAlive);
            return false;
        }

        var headerEnd = span[start..].IndexOf(HeaderEnd);
        int bodyStart;
        if (headerEnd >= 0)
        {
            headerEnd += start;
            bodyStart = headerEnd + 4;
        }
        else if (!isStream && span.EndsWith(Crlf))
        {
            // A datagram that ends right after its last header line has no body: take its end as the blank line.
            headerEnd = span.Length - 2;
            bodyStart = span.Length;
        }
        else
        {
            failure = new(isStream ? SipParseError.Incomplete : SipParseError.MalformedHeaderLine);
            return false;
        }

        // One walk over the header block finds every line end, whether any line is folded (CRLF followed
        // by SP/HTAB, RFC 3261 §7.3.1), and whether any control character but HTAB stands anywhere but in a CRLF.
        // Folded lines become spaces in a copy, so that every header value is one contiguous range and the offsets
        // stay those of the wire; the walk is then done again on the copy. Room on the stack for the usual 10–30
        // lines; a message with more walks again into the full-sized array.
        Span<ushort> lineEnds = stackalloc ushort[64];
        var lines = FindLineEnds(span, start, headerEnd, lineEnds, out var folded, out var controls);
        if (lines > lineEnds.Length)
        {
            lineEnds = new ushort[SipLimits.MaxHeaderLines + 1];
            lines = FindLineEnds(span, start, headerEnd, lineEnds, out folded, out _);
        }

        if (folded)
        {
            var copy = data.ToArray();
            Unfold(copy.AsSpan(start, headerEnd - start));
            data = copy;
            span = copy;
            lines = FindLineEnds(span, start, headerEnd, lineEnds, out _, out _);
        }

        var startLineEnd = lineEnds[0];
        // The rare message with a control character has each line checked for where it stands (ControlCharacters).
        if (controls && ControlCharacters.AnyIn(span[start..startLineEnd]))
        {
            failure = new(SipParseError.MalformedStartLine);
            return false;
        }

        if (!TryParseStartLine(span[start..startLineEnd], start, out var line, out failure))
        {
            return false;
        }

        // lines counts the start line; more lines than lineEnds holds is reported as too many headers.
        if (lines - 1 > SipLimits.MaxHeaderLines)
        {
            failure = new(SipParseError.TooManyHeaders);
            return false;
        }

        var headers = lines > 1 ? new HeaderField[lines - 1] : [];
        if (!TryIndexHeaders(span, startLineEnd + 2, lineEnds[1..lines], headers, controls, out var contentLength, out failure)
            || !TryFrameBody(span, headers, contentLength, bodyStart, isStream, out var bodyLength, out failure))
        {
            return false;
        }

        message = new SipMessage(
            data, line.IsRequest, line.Method, line.StatusCode, line.Part1, line.UriStart, line.UriLength,
            headers, headers.Length, bodyStart, bodyLength);

        return MessageValidator.TryValidate(message, out failure);
    }

    private static void Unfold(Span<byte> headerBlock)
    {
        for (var i = 0; i + 2 < headerBlock.Length; i++)
        {
            if (headerBlock[i] == '\r' && headerBlock[i + 1] == '\n' && ByteScan.IsWhitespace(headerBlock[i + 2]))
            {
                headerBlock[i] = (byte)' ';
                headerBlock[i + 1] = (byte)' ';
            }
        }
    }

    private readonly record struct StartLine(bool IsRequest, SipMethod Method, int StatusCode, ushort Part1, ushort UriStart, ushort UriLength);

    private static bool TryParseStartLine(ReadOnlySpan<byte> line, int offset, out StartLine result, out SipParseFailure failure)
    {
        result = default;
        failure = new(SipParseError.MalformedStartLine);
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return false;
        }

        var first = line[..firstSpace];
        if (first.Length > 4 && System.Text.Ascii.EqualsIgnoreCase(first[..4], "SIP/"u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
            if (!System.Text.Ascii.EqualsIgnoreCase(first, SipVersion))
            {
                failure = new(SipParseError.UnsupportedVersion);
                return false;
            }

            var rest = line[(firstSpace + 1)..];
            if (rest.Length < 3 || !ByteScan.TryParseInt(rest[..3], out var code) || code is < 100 or > 699
                || (rest.Length > 3 && rest[3] != ' '))
            {
                return false;
            }

            var reasonStart = firstSpace + 1 + Math.Min(4, rest.Length);
            result = new(false, SipMethod.Unknown, code, (ushort)(offset + firstSpace + 1), (ushort)(offset + reasonStart), (ushort)(line.Length - reasonStart));
            failure = default;
            return true;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version
        if (first.IndexOfAnyExcept(TokenChars) >= 0)
        {
            return false;
        }

        var lastSpace = line.LastIndexOf((byte)' ');
        if (lastSpace <= firstSpace + 1)
        {
            return false;
        }

        var uri = line[(firstSpace + 1)..lastSpace];
        if (uri.IndexOfAny((byte)' ', (byte)'\t') >= 0 || uri.IsEmpty)
        {
            return false;
        }

        if (uri.Length > SipLimits.MaxRequestUriBytes)
        {
            failure = new(SipParseError.RequestUriTooLong);
            return false;
        }

        var version = line[(lastSpace + 1)..];
        if (!System.Text.Ascii.EqualsIgnoreCase(version, SipVersion))
        {
            failure = new(version.Length > 4 && System.Text.Ascii.EqualsIgnoreCase(version[..4], "SIP/"u8)
                ? SipParseError.UnsupportedVersion
                : SipParseError.MalformedStartLine);
            return false;
        }

        result = new(true, SipMethods.Parse(first), 0, (ushort)(offset + firstSpace), (ushort)(offset + firstSpace + 1), (ushort)uri.Length);
        failure = default;
        return true;
    }

    /// <summary>
    /// Records where each line of [from, to) ends (the offset of its CRLF; the last ends at <paramref name="to"/>)
    /// and returns how many lines there are, counting on past what <paramref name="ends"/> holds.
    /// <paramref name="controls"/> says whether a control character other than HTAB, or a CR or LF that is not
    /// part of a CRLF, stands anywhere in the block.
    /// </summary>
    private static int FindLineEnds(ReadOnlySpan<byte> span, int from, int to, Span<ushort> ends, out bool folded, out bool controls)
    {
        folded = false;
        controls = false;
        var count = 0;
        var position = from;
        while (true)
        {
            var end = NextLineEnd(span[position..to], ref controls);
            end = end < 0 ? to : position + end;
            if (count < ends.Length)
            {
                ends[count] = (ushort)end;
            }

            count++;
            if (end == to)
            {
                return count;
            }

            folded |= end + 2 < to && ByteScan.IsWhitespace(span[end + 2]);
            position = end + 2;
        }
    }

    /// <summary>
    /// The offset of the first CRLF, or -1. A line ends at CRLF only: a bare CR or LF stays inside the line, and
    /// sets <paramref name="controls"/> as any other control character does. One search for the first octet
    /// outside printable ASCII finds the CR as cheaply as a search for the LF alone would; HTAB and UTF-8 octets
    /// only make it search on.
    /// </summary>
    private static int NextLineEnd(ReadOnlySpan<byte> line, ref bool controls)
    {
        var offset = 0;
        while (true)
        {
            var found = line[offset..].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
            if (found < 0)
            {
                return -1;
            }

            found += offset;
            var b = line[found];
            if (b == '\r' && found + 1 < line.Length && line[found + 1] == '\n')
            {
                return found;
            }

            controls |= b < 0x80 && b != '\t';
            offset = found + 1;
        }
    }

    private static bool TryIndexHeaders(
        ReadOnlySpan<byte> span, int from, ReadOnlySpan<ushort> lineEnds, HeaderField[] headers, bool checkControls,
        out int contentLength, out SipParseFailure failure)
    {
        contentLength = -1;
        var position = from;
        for (var i = 0; i < lineEnds.Length; i++)
        {
            // header-name = token, then optional white space and the colon (RFC 3261 §7.3.1): one scan finds the name's end.
            var line = span[position..lineEnds[i]];
            if (line.Length > SipLimits.MaxHeaderLineBytes)
            {
                failure = new(SipParseError.HeaderLineTooLong);
                return false;
            }

            var nameLength = line.IndexOfAnyExcept(TokenChars);
            var colon = nameLength;
            while (colon > 0 && colon < line.Length && ByteScan.IsWhitespace(line[colon]))
            {
                colon++;
            }

            if (nameLength <= 0 || colon >= line.Length || line[colon] != ':')
            {
                failure = new(SipParseError.MalformedHeaderLine);
                return false;
            }

            if (nameLength > SipLimits.MaxHeaderNameBytes)
            {
                failure = new(SipParseError.HeaderNameTooLong);
                return false;
            }

            var name = line[..nameLength];
            var rawValue = line[(colon + 1)..];
            var id = HeaderTable.Lookup(name);
            if (checkControls && !ControlCharacters.AreAllowed(rawValue))
            {
                failure = new(SipParseError.ControlCharacter, id);
                return false;
            }

            // The value starts after leading SP/HTAB; its length is that of the value trimmed at both ends (no bare CR
            // or LF gets this far, so ByteScan.Trim strips nothing more at the front than this loop skips).
            var lead = 0;
            while (lead < rawValue.Length && ByteScan.IsWhitespace(rawValue[lead]))
            {
                lead++;
            }

            var valueLength = ByteScan.Trim(rawValue[lead..]).Length;
            if (id == HeaderId.ContentLength && contentLength < 0)
            {
                contentLength = i;
            }

            headers[i] = new HeaderField(id, (byte)name.Length, (ushort)position, (ushort)(position + colon + 1 + lead), (ushort)valueLength);
            position = lineEnds[i] + 2;
        }

        failure = default;
        return true;
    }

    private static bool TryFrameBody(
        ReadOnlySpan<byte> span, HeaderField[] headers, int index, int bodyStart, bool isStream,
        out int bodyLength, out SipParseFailure failure)
    {
        var available = span.Length - bodyStart;
        bodyLength = available;
        failure = default;
        if (index < 0)
        {
            if (isStream)
            {
                failure = new(SipParseError.MissingHeader, HeaderId.ContentLength);
                return false;
            }

            return true; // UDP without Content-Length: the body runs to the end of the datagram.
        }

        var field = headers[index];
        if (!ByteScan.TryParseInt(span.Slice(field.ValueStart, field.ValueLength), out var declared))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.ContentLength);
            return false;
        }

        if (declared > available)
        {
            failure = new(isStream ? SipParseError.Incomplete : SipParseError.BodyShorterThanContentLength, HeaderId.ContentLength);
            return false;
        }

        bodyLength = declared; // bytes beyond Content-Length in a datagram are discarded (RFC 3261 §18.3)
        return true;
    }
}
