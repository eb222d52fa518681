using System.Text;

namespace CallControl.Edge.Security;

/// <summary>
/// RFC 3325's trust domain at the border: an identity asserted by an untrusted source is removed (P-Asserted-Identity,
/// P-Preferred-Identity, and the older Remote-Party-ID), and a caller the edge authenticated is asserted as the
/// subscriber it proved to be. Works on the request's bytes, which is what the edge hands to the call's grain.
/// </summary>
public static class IdentityHeaders
{
    private static readonly string[] Removed = ["P-Asserted-Identity", "P-Preferred-Identity", "Remote-Party-ID"];

    /// <summary>
    /// The message without the identity headers, and with <c>P-Asserted-Identity: &lt;asserted&gt;</c> when
    /// <paramref name="asserted"/> is given (a SIP URI). The start line, the other headers and the body are unchanged.
    /// </summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> message, string? asserted)
    {
        var headerEnd = message.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return message.ToArray(); // not a message the parser took; nothing to do
        }

        var output = new List<byte>(message.Length + 64);
        var firstLineEnd = message.IndexOf("\r\n"u8);
        output.AddRange(message[..(firstLineEnd + 2)]);
        var position = firstLineEnd + 2;
        var dropping = false;
        while (position < headerEnd + 2)
        {
            var lineLength = message[position..].IndexOf("\r\n"u8);
            var line = message.Slice(position, lineLength + 2);
            var continuation = line[0] is (byte)' ' or (byte)'\t';
            if (!continuation)
            {
                dropping = IsRemoved(line);
            }

            if (!dropping)
            {
                output.AddRange(line);
            }

            position += lineLength + 2;
        }

        if (asserted is not null)
        {
            output.AddRange(Encoding.UTF8.GetBytes($"P-Asserted-Identity: <{asserted}>\r\n"));
        }

        output.AddRange(message[(headerEnd + 2)..]); // the empty line and the body
        return [.. output];
    }

    private static bool IsRemoved(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = line[..colon].TrimEnd(" \t"u8); // compared as bytes: no string per header line
        foreach (var removed in Removed)
        {
            if (Ascii.EqualsIgnoreCase(name, removed))
            {
                return true;
            }
        }

        return false;
    }
}
