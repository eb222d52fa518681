using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>Runs a text parser on UTF-8 header bytes, decoding on the stack when the value is small.</summary>
internal static class Utf8Parsing
{
    public delegate bool TextParser<T>(ReadOnlySpan<char> text, out T value);

    public static bool TryParse<T>(ReadOnlySpan<byte> utf8, TextParser<T> parser, out T value)
    {
        Span<char> chars = utf8.Length <= 512 ? stackalloc char[utf8.Length] : new char[utf8.Length];
        if (!Encoding.UTF8.TryGetChars(utf8, chars, out var written))
        {
            value = default!;
            return false;
        }

        return parser(chars[..written], out value);
    }
}
