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

    public static bool NeedsQuoting(string value) => value.Length == 0 || value.AsSpan().ContainsAny(Special);

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
