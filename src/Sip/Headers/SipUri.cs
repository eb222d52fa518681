using System.Globalization;
using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>
/// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966), or any other absolute URI kept opaque.
/// User parts keep their %-escapes as written, so a relayed URI is byte-for-byte what arrived.
/// </summary>
public sealed class SipUri
{
    private SipUri(string scheme, string? user, string? password, string host, int? port, HeaderParameters parameters, string? headers, string? opaque)
    {
        Scheme = scheme;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Parameters = parameters;
        Headers = headers;
        Opaque = opaque;
    }

    // Characters that may not appear unescaped in a SIP URI's userinfo or headers: white space, quotes, angle brackets.
    private static readonly System.Buffers.SearchValues<char> NotInUserInfo = System.Buffers.SearchValues.Create(" \t\r\n<>\"");

    /// <summary>The placeholder URI of "Contact: *" (RFC 3261 §10.2.2), which has no address.</summary>
    public static SipUri Wildcard { get; } = new("sip", null, null, "*", null, new HeaderParameters(), null, null);

    /// <summary>Lower-case scheme: "sip", "sips", "tel", or another.</summary>
    public string Scheme { get; }

    /// <summary>The user part (for tel: the number), escapes as written; null when absent.</summary>
    public string? User { get; }

    /// <summary>The password part (deprecated by RFC 3261, still parsed).</summary>
    public string? Password { get; }

    /// <summary>Host name, IPv4 address, or IPv6 reference with its brackets. Empty for tel and opaque URIs.</summary>
    public string Host { get; }

    /// <summary>The port, when the URI names one.</summary>
    public int? Port { get; }

    /// <summary>URI parameters (";transport=tcp", ";lr", ...).</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The "?name=value&amp;..." part without the '?', when present.</summary>
    public string? Headers { get; }

    /// <summary>For schemes other than sip, sips and tel: everything after the colon.</summary>
    public string? Opaque { get; }

    /// <summary>True for sip: and sips: URIs.</summary>
    public bool IsSip => Scheme is "sip" or "sips";

    /// <summary>The transport parameter, lower-cased, or null.</summary>
    public string? Transport => Parameters["transport"]?.ToLowerInvariant();

    /// <summary>Parses a URI; false when it is not one.</summary>
    public static bool TryParse(string text, out SipUri uri) => TryParse(text.AsSpan(), out uri);

    /// <summary>Parses a URI; false when it is not one.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SipUri uri)
    {
        uri = null!;
        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon <= 0 || !IsScheme(text[..colon]))
        {
            return false;
        }

        var scheme = text[..colon].ToString().ToLowerInvariant();
        var rest = text[(colon + 1)..];
        return scheme switch
        {
            "sip" or "sips" => TryParseSip(scheme, rest, out uri),
            "tel" => TryParseTel(rest, out uri),
            _ => TryParseOpaque(scheme, rest, out uri),
        };
    }

    /// <summary>Parses a URI or throws <see cref="FormatException"/>: for configuration and tests.</summary>
    public static SipUri Parse(string text)
        => TryParse(text, out var uri) ? uri : throw new FormatException($"'{text}' is not a SIP, SIPS or tel URI.");

    /// <summary>A copy with another user part (null removes it).</summary>
    public SipUri WithUser(string? user) => new(Scheme, user, Password, Host, Port, Parameters, Headers, Opaque);

    /// <summary>A copy without URI headers and with only the parameters allowed in a Request-URI (RFC 3261 §19.1.1 table).</summary>
    public SipUri ForRequestUri()
    {
        var parameters = new HeaderParameters();
        foreach (var (name, value) in Parameters.Items)
        {
            if (!name.Equals("method", StringComparison.OrdinalIgnoreCase))
            {
                parameters.Set(name, value);
            }
        }

        return new(Scheme, User, Password, Host, Port, parameters, null, Opaque);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder(Scheme).Append(':');
        if (Opaque is not null)
        {
            return builder.Append(Opaque).ToString();
        }

        if (User is not null)
        {
            builder.Append(User);
            if (Password is not null)
            {
                builder.Append(':').Append(Password);
            }

            if (IsSip)
            {
                builder.Append('@');
            }
        }

        builder.Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(builder, uri: true);
        if (Headers is not null)
        {
            builder.Append('?').Append(Headers);
        }

        return builder.ToString();
    }

    private static bool TryParseSip(string scheme, ReadOnlySpan<char> rest, out SipUri uri)
    {
        // userinfo ends at the first '@': the user part may hold '?', ';' and ',' (RFC 3261 §25.1
        // user-unreserved) but never an unescaped '@', and neither may parameters or headers.
        uri = null!;
        string? user = null, password = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var passwordColon = userInfo.IndexOf(':');
            var userPart = passwordColon >= 0 ? userInfo[..passwordColon] : userInfo;
            if (userPart.IsEmpty || userInfo.ContainsAny(NotInUserInfo))
            {
                return false;
            }

            user = userPart.ToString();
            password = passwordColon >= 0 ? userInfo[(passwordColon + 1)..].ToString() : null;
        }

        string? headers = null;
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            headers = rest[(question + 1)..].ToString();
            rest = rest[..question];
        }

        var semicolon = rest.IndexOf(';');
        var hostPort = semicolon >= 0 ? rest[..semicolon] : rest;
        var parameters = HeaderParameters.Empty;
        if (semicolon >= 0 && !HeaderParameters.TryParse(rest[semicolon..], out parameters, uri: true))
        {
            return false;
        }

        if ((headers is not null && headers.AsSpan().ContainsAny(NotInUserInfo)) || !TrySplitHostPort(hostPort, out var host, out var port))
        {
            return false;
        }

        uri = new SipUri(scheme, user, password, host, port, parameters, headers, null);
        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<char> rest, out SipUri uri)
    {
        uri = null!;
        var semicolon = rest.IndexOf(';');
        var number = semicolon >= 0 ? rest[..semicolon] : rest;
        var parameters = HeaderParameters.Empty;
        if (number.IsEmpty || number.ContainsAny(" \t<>@") || (semicolon >= 0 && !HeaderParameters.TryParse(rest[semicolon..], out parameters, uri: true)))
        {
            return false;
        }

        uri = new SipUri("tel", number.ToString(), null, "", null, parameters, null, null);
        return true;
    }

    private static bool TryParseOpaque(string scheme, ReadOnlySpan<char> rest, out SipUri uri)
    {
        uri = null!;
        if (rest.IsEmpty || rest.ContainsAny(" \t<>\""))
        {
            return false;
        }

        uri = new SipUri(scheme, null, null, "", null, HeaderParameters.Empty, null, rest.ToString());
        return true;
    }

    /// <summary>Splits "host[:port]" where host may be an IPv6 reference in brackets.</summary>
    internal static bool TrySplitHostPort(ReadOnlySpan<char> hostPort, out string host, out int? port)
    {
        host = "";
        port = null;
        ReadOnlySpan<char> portText = default;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0 || !System.Net.IPAddress.TryParse(hostPort[1..close], out var v6) || v6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = hostPort[..(close + 1)].ToString();
            var after = hostPort[(close + 1)..];
            if (!after.IsEmpty)
            {
                if (after[0] != ':')
                {
                    return false;
                }

                portText = after[1..];
            }
        }
        else
        {
            var colon = hostPort.IndexOf(':');
            var name = colon >= 0 ? hostPort[..colon] : hostPort;
            if (!IsHostName(name))
            {
                return false;
            }

            host = name.ToString();
            portText = colon >= 0 ? hostPort[(colon + 1)..] : default;
            if (colon >= 0 && portText.IsEmpty)
            {
                return false;
            }
        }

        if (!portText.IsEmpty)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 65535)
            {
                return false;
            }

            port = value;
        }

        return true;
    }

    private static bool IsHostName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
