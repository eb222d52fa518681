using System.Globalization;
using System.Net;
using System.Text;

namespace CallControl.Edge.Security;

/// <summary>
/// The security log's line format, fixed for fail2ban (contrib/fail2ban/filter.d/callcontrol.conf):
/// <c>2026-12-07T10:48:15.123Z security event=auth-failure src=203.0.113.7:5060 transport=udp user=alice method=REGISTER</c>.
/// <c>event=</c> and <c>src=</c> come first, the source is the transport's (never a header's), an IPv6 source is
/// bracketed, and every value is percent-encoded so that no attacker-chosen text can hold a space, <c>=</c> or a line
/// break and forge a key.
/// </summary>
public static class SecurityLogLine
{
    /// <summary>The part after the timestamp: <c>security event=… src=… key=value…</c>.</summary>
    public static string Body(string securityEvent, IPEndPoint source, IEnumerable<(string Key, string? Value)> details)
    {
        var line = new StringBuilder(128).Append("security event=").Append(securityEvent).Append(" src=").Append(Format(source));
        foreach (var (key, value) in details)
        {
            if (value is not null)
            {
                line.Append(' ').Append(key).Append('=').Append(Encode(value));
            }
        }

        return line.ToString();
    }

    /// <summary>A whole line of the file: the UTC time with milliseconds, then <see cref="Body"/>.</summary>
    public static string WithTime(DateTimeOffset at, string body)
        => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + " " + body;

    /// <summary>An address and port: <c>192.0.2.1:5060</c>, <c>[2001:db8::1]:5060</c>.</summary>
    public static string Format(IPEndPoint source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{address}]:{source.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{address}:{source.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Percent-encodes everything but printable ASCII other than space, <c>%</c> and <c>=</c> (UTF-8 bytes for the rest).</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0 && !value.Contains('%', StringComparison.Ordinal) && !value.Contains('=', StringComparison.Ordinal))
        {
            return value.Length > 0 ? value : "-";
        }

        var encoded = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is > (byte)' ' and < 0x7F and not (byte)'%' and not (byte)'=')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
