using CallControl.Sip.Headers;

namespace CallControl.Sip.Auth;

/// <summary>
/// Reads a Digest challenge or credentials value (RFC 3261 §25.1, RFC 7235 §2.1):
/// "Digest" LWS auth-param *(COMMA auth-param), auth-param = token EQUAL (token / quoted-string).
/// The scheme and the parameter names are case-insensitive. Any syntax error, a duplicate name or a control
/// character in a value makes the whole value unreadable: we answer it with a fresh challenge, not a guess.
/// </summary>
internal static class AuthParamReader
{
    private const string DigestScheme = "Digest";

    public static bool TryRead(ReadOnlySpan<char> text, out AuthParamList parameters)
    {
        parameters = new AuthParamList();
        var i = AuthSyntax.SkipWhitespace(text, 0);
        if (i == text.Length || !IsDigestScheme(text, ref i))
        {
            return false;
        }

        var afterScheme = AuthSyntax.SkipWhitespace(text, i);
        if (afterScheme == i || afterScheme == text.Length)
        {
            return false; // "Digest" must be followed by LWS and at least one parameter
        }

        i = afterScheme;
        while (true)
        {
            if (!TryReadParameter(text, ref i, out var name, out var value) || !parameters.TryAdd(name, value))
            {
                return false;
            }

            i = AuthSyntax.SkipWhitespace(text, i);
            if (i == text.Length)
            {
                return true;
            }

            if (text[i] != ',')
            {
                return false;
            }

            i = AuthSyntax.SkipWhitespace(text, i + 1);
            if (i == text.Length)
            {
                return false; // a trailing comma promises a parameter that never comes
            }
        }
    }

    private static bool IsDigestScheme(ReadOnlySpan<char> text, ref int i)
    {
        var end = AuthSyntax.TokenEnd(text, i);
        var isDigest = text[i..end].Equals(DigestScheme, StringComparison.OrdinalIgnoreCase);
        i = end;
        return isDigest;
    }

    private static bool TryReadParameter(ReadOnlySpan<char> text, ref int i, out string name, out string value)
    {
        value = "";
        var nameEnd = AuthSyntax.TokenEnd(text, i);
        name = text[i..nameEnd].ToString();
        i = AuthSyntax.SkipWhitespace(text, nameEnd);
        if (name.Length == 0 || i == text.Length || text[i] != '=')
        {
            return false;
        }

        i = AuthSyntax.SkipWhitespace(text, i + 1);
        if (i == text.Length)
        {
            return false;
        }

        if (text[i] == '"')
        {
            return QuotedString.TryRead(text, ref i, out value) && !AuthSyntax.HasControlCharacters(value);
        }

        var valueEnd = AuthSyntax.TokenEnd(text, i);
        value = text[i..valueEnd].ToString();
        i = valueEnd;
        return value.Length > 0;
    }
}
