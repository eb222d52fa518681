using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>RFC 3261 §25.1 quoted-string: reading with quoted-pair escapes, and writing with them.</summary>
internal static class QuotedString
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create(" \t\";,<>:@\\");

    /// <summary>Reads a quoted string starting at text[i] == '"'; leaves i after the closing quote.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, ref int i, out string value)
    {
        value = "";
        var builder = new StringBuilder();
        i++; // opening quote
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length)
                {
                    return false;
                }

                builder.Append(text[i + 1]);
                i += 2;
                continue;
            }

            if (c == '"')
            {
                i++;
                value = builder.ToString();
                return true;
            }

            builder.Append(c);
            i++;
        }

        return false;
    }

    /// <summary>
    /// True when a parameter value is no token and must go quoted. An IPv6 address is written as it is, with or without
    /// brackets: gen-value takes a host (RFC 3261 §25.1), Via's received and maddr an IPv6address (RFC 5118 §4.5), and
    /// a quoted one would be a string to a parser that expects an address.
    /// </summary>
    public static bool NeedsQuoting(string value)
        => value.Length == 0 || (value.AsSpan().ContainsAny(Special) && !IsIPv6(value));

    private static bool IsIPv6(string value)
        => value.Contains(':', StringComparison.Ordinal) && SipHost.TryParseAddress(value, out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    public static void Append(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        builder.Append('"');
    }
}
