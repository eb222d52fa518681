using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>
/// A name-addr or addr-spec with header parameters: the value of From, To, Contact, Route, Record-Route
/// (RFC 3261 §20.10, §25.1). Parameters after a bare addr-spec belong to the header, not the URI.
/// </summary>
public sealed class NameAddress
{
    /// <summary>Creates one from parts.</summary>
    public NameAddress(SipUri uri, string? displayName = null, HeaderParameters? parameters = null, bool isWildcard = false)
    {
        Uri = uri;
        DisplayName = displayName;
        Parameters = parameters ?? new HeaderParameters();
        IsWildcard = isWildcard;
    }

    /// <summary>The display name, unquoted and unescaped; null when absent.</summary>
    public string? DisplayName { get; }

    /// <summary>The address.</summary>
    public SipUri Uri { get; }

    /// <summary>Header parameters (tag, expires, q, lr on a Route's URI is a URI parameter, ...).</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>True for "Contact: *" (RFC 3261 §10.2.2).</summary>
    public bool IsWildcard { get; }

    /// <summary>The tag parameter (From/To), or null.</summary>
    public string? Tag => Parameters["tag"];

    /// <summary>Parses one value; false when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out NameAddress address)
    {
        address = null!;
        text = text.Trim();
        if (text is "*")
        {
            address = new NameAddress(SipUri.Wildcard, isWildcard: true);
            return true;
        }

        string? displayName = null;
        var i = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] == '"')
        {
            if (!QuotedString.TryRead(text, ref i, out var quoted))
            {
                return false;
            }

            displayName = quoted;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length || text[i] != '<')
            {
                return false; // a quoted display name must be followed by <addr-spec>
            }
        }

        var open = text[i..].IndexOf('<');
        if (open >= 0)
        {
            open += i;
            if (displayName is null)
            {
                var token = text[..open].Trim();
                if (!IsTokenList(token))
                {
                    return false; // an unquoted display name is tokens and LWS only (RFC 3261 §25.1)
                }

                displayName = token.IsEmpty ? null : token.ToString();
            }

            var close = text[open..].IndexOf('>');
            if (close < 0)
            {
                return false;
            }

            close += open;
            var inside = text[(open + 1)..close];
            if (inside.IsEmpty || char.IsWhiteSpace(inside[0]) || char.IsWhiteSpace(inside[^1]) || !SipUri.TryParse(inside, out var uri))
            {
                return false; // no LWS inside the brackets: "< sip:a@b >" is not a name-addr
            }

            if (!HeaderParameters.TryParse(text[(close + 1)..], out var parameters))
            {
                return false;
            }

            address = new NameAddress(uri, displayName, parameters);
            return true;
        }

        if (displayName is not null)
        {
            return false;
        }

        // addr-spec: the URI ends at the first ';' (its parameters would be header parameters) — RFC 3261 §20.10.
        var semicolon = text.IndexOf(';');
        var uriText = (semicolon >= 0 ? text[..semicolon] : text).TrimEnd();
        if (uriText.ContainsAny(" \t?,") || !SipUri.TryParse(uriText, out var bare))
        {
            return false; // a URI with '?' or ',' must be in angle brackets (RFC 3261 §20)
        }

        var headerParameters = HeaderParameters.Empty;
        if (semicolon >= 0 && !HeaderParameters.TryParse(text[semicolon..], out headerParameters))
        {
            return false;
        }

        address = new NameAddress(bare, null, headerParameters);
        return true;
    }

    /// <summary>Parses one value from bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out NameAddress address) => Utf8Parsing.TryParse(utf8, TryParse, out address);

    private static bool IsTokenList(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '\t' || "-.!%*_+`'~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Serialises in name-addr form (always with angle brackets, which is always valid).</summary>
    public override string ToString()
    {
        if (IsWildcard)
        {
            return "*";
        }

        var builder = new StringBuilder();
        if (!string.IsNullOrEmpty(DisplayName))
        {
            QuotedString.Append(builder, DisplayName);
            builder.Append(' ');
        }

        builder.Append('<').Append(Uri).Append('>');
        Parameters.AppendTo(builder);
        return builder.ToString();
    }
}
