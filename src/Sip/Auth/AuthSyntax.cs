using System.Buffers;

namespace CallControl.Sip.Auth;

/// <summary>The character classes of RFC 3261 §25.1 that auth-params are made of.</summary>
internal static class AuthSyntax
{
    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    public static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    /// <summary>
    /// Control characters other than HTAB. The grammar lets some through as quoted-pairs, but a value holding
    /// one could not be written back safely (CR/LF would split the header), so we refuse them both ways.
    /// </summary>
    public static bool HasControlCharacters(ReadOnlySpan<char> text) =>
        text.ContainsAnyInRange('\0', '\b') || text.ContainsAnyInRange('\n', '\x1F') || text.Contains('\x7F');

    /// <summary>Skips spaces and tabs (the SIP parser has already turned folded lines into spaces).</summary>
    public static int SkipWhitespace(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    /// <summary>The end of the token that starts at i (i itself when there is none).</summary>
    public static int TokenEnd(ReadOnlySpan<char> text, int i)
    {
        var length = text[i..].IndexOfAnyExcept(TokenChars);
        return length < 0 ? text.Length : i + length;
    }
}
