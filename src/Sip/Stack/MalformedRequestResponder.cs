using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Stack;

/// <summary>
/// Builds the response to a request that failed to parse, from whatever of Via, From, To, Call-ID and
/// CSeq can still be found in its bytes. A message that is a response, or whose Via cannot be found,
/// gets nothing: a response with no Via cannot be routed (RFC 3261 §18.2.2), so it is dropped. A header with a control
/// character the grammar does not allow (<see cref="ControlCharacters"/>) is never echoed: such a Via means no answer.
/// </summary>
public static class MalformedRequestResponder
{
    private static readonly HeaderId[] Copied = [HeaderId.Via, HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq];

    /// <summary>The response bytes, or null when the message must be dropped silently.</summary>
    public static byte[]? TryBuild(ReadOnlySpan<byte> message, SipParseFailure failure)
    {
        var status = SipRejections.StatusCode(failure);
        if (status == 0)
        {
            return null;
        }

        message = message.TrimStart("\r\n"u8);
        var headerEnd = message.IndexOf("\r\n\r\n"u8);
        var head = headerEnd >= 0 ? message[..headerEnd] : message;
        var firstLineEnd = head.IndexOf("\r\n"u8);
        if (firstLineEnd <= 0 || head.StartsWith("SIP/"u8))
        {
            return null; // a response, or nothing but a start line: never answered
        }

        var found = new List<(HeaderId Id, int Start, int Length)>();
        var position = firstLineEnd + 2;
        while (position < head.Length)
        {
            var length = head[position..].IndexOf("\r\n"u8);
            if (length < 0)
            {
                length = head.Length - position;
            }

            var line = head.Slice(position, length);
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                var id = HeaderTable.Lookup(line[..colon].TrimEnd(" \t"u8));
                if (Array.IndexOf(Copied, id) >= 0 && !ControlCharacters.AreAllowed(line[(colon + 1)..]))
                {
                    // Never echo a control character: a Via with one leaves nowhere to answer; another header is left out.
                    if (id == HeaderId.Via)
                    {
                        return null;
                    }
                }
                else if (Array.IndexOf(Copied, id) >= 0 && (id == HeaderId.Via || !found.Exists(f => f.Id == id)))
                {
                    var value = line[(colon + 1)..].Trim(" \t"u8);
                    found.Add((id, position + colon + 1 + (line[(colon + 1)..].Length - line[(colon + 1)..].TrimStart(" \t"u8).Length), value.Length));
                }
            }

            position += length + 2;
        }

        if (!found.Exists(f => f.Id == HeaderId.Via))
        {
            return null;
        }

        var builder = SipMessageBuilder.Response(status, SipRejections.ReasonPhrase(failure));
        foreach (var id in Copied)
        {
            foreach (var (foundId, start, length) in found)
            {
                if (foundId == id)
                {
                    builder.AddRaw(id, head.Slice(start, length));
                }
            }
        }

        return builder.ToArray();
    }
}
