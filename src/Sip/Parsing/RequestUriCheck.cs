using System.Buffers;
using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Parsing;

/// <summary>
/// Whether a Request-URI is one the stack accepts: a URI (<see cref="SipUri.TryParse(string, out SipUri)"/>),
/// and for sip/sips one without headers (RFC 3261 §19.1.1's table: headers are not allowed in a Request-URI),
/// so "&lt;sip:...&gt;" and "sip:a@b?Route=..." are rejected rather than routed.
/// </summary>
/// <remarks>
/// Every request is checked, so the common shape — sip:[userinfo@]host[:port][;param[=value]]... in plain
/// ASCII — is recognised on the bytes without decoding or allocating. The fast path only ever says "valid"
/// for what <see cref="SipUri"/> accepts too; anything it is not sure of goes to the full parser.
/// </remarks>
internal static class RequestUriCheck
{
    // Printable ASCII less what SipUri refuses in userinfo (white space, quotes, angle brackets).
    private static readonly SearchValues<byte> UserInfoChars = SearchValues.Create(
        "!#$%&'()*+,-./0123456789:;=?ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private static readonly SearchValues<byte> HostChars =
        SearchValues.Create("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // RFC 3261 unreserved characters, '%' and '+': enough for transport=udp, user=phone, lr, maddr=..., ttl=...
    private static readonly SearchValues<byte> ParamChars =
        SearchValues.Create("!%'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"u8);

    public static bool IsValid(ReadOnlySpan<byte> uri)
        => IsCommonSipUri(uri) || (SipUri.TryParse(Encoding.UTF8.GetString(uri), out var parsed) && !(parsed.IsSip && parsed.Headers is not null));

    /// <summary>True only for a plain sip/sips URI that <see cref="SipUri"/> certainly accepts; false means "ask it".</summary>
    internal static bool IsCommonSipUri(ReadOnlySpan<byte> uri)
    {
        if (uri.Length > 4 && Ascii.EqualsIgnoreCase(uri[..4], "sip:"u8))
        {
            uri = uri[4..];
        }
        else if (uri.Length > 5 && Ascii.EqualsIgnoreCase(uri[..5], "sips:"u8))
        {
            uri = uri[5..];
        }
        else
        {
            return false;
        }

        // userinfo runs to the first '@'; its user part (before any ':') must not be empty.
        var at = uri.IndexOf((byte)'@');
        if (at >= 0)
        {
            var userInfo = uri[..at];
            if (userInfo.IsEmpty || userInfo[0] == ':' || userInfo.IndexOfAnyExcept(UserInfoChars) >= 0)
            {
                return false;
            }

            uri = uri[(at + 1)..];
        }

        var semicolon = uri.IndexOf((byte)';');
        var hostPort = semicolon < 0 ? uri : uri[..semicolon];
        return IsHostPort(hostPort) && (semicolon < 0 || AreParameters(uri[semicolon..]));
    }

    private static bool IsHostPort(ReadOnlySpan<byte> hostPort)
    {
        var colon = hostPort.IndexOf((byte)':');
        var host = colon < 0 ? hostPort : hostPort[..colon];
        if (host.IsEmpty || host.IndexOfAnyExcept(HostChars) >= 0)
        {
            return false;
        }

        if (colon < 0)
        {
            return true;
        }

        var port = hostPort[(colon + 1)..];
        return port.Length is > 0 and <= 5 && ByteScan.TryParseInt(port, out var value) && value <= 65535;
    }

    // ";name" or ";name=value", each non-empty and of ParamChars only: no quotes, no '?', no second '='.
    private static bool AreParameters(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            if (text[0] != ';')
            {
                return false;
            }

            text = text[1..];
            var next = text.IndexOf((byte)';');
            var parameter = next < 0 ? text : text[..next];
            var equals = parameter.IndexOf((byte)'=');
            var name = equals < 0 ? parameter : parameter[..equals];
            var value = equals < 0 ? default : parameter[(equals + 1)..];
            if (name.IsEmpty || name.IndexOfAnyExcept(ParamChars) >= 0 || value.IndexOfAnyExcept(ParamChars) >= 0)
            {
                return false;
            }

            text = next < 0 ? default : text[next..];
        }

        return true;
    }
}
