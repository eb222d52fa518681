using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Lines in the edge's security-log contract (issue 17), as the fail2ban tests feed them:
/// `2026-12-07T10:48:15.123Z security event=auth-failure src=127.0.0.21:5060 transport=udp user=alice method=REGISTER`.
/// The time is RFC 3339 UTC with milliseconds; IPv6 sources are bracketed (`src=[2001:db8::7]:5060`). Further
/// keys are given as they are to be written (already percent-encoded): a test can forge what an attacker could.
/// </summary>
internal static class SecurityLogLine
{
    public static string Format(DateTime utc, string securityEvent, IPEndPoint source, params string[] keyValues)
    {
        var time = utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var rest = keyValues.Length == 0 ? "" : " " + string.Join(' ', keyValues);

        // IPEndPoint writes "127.0.0.21:5060" and "[2001:db8::7]:5060": the contract's two forms.
        return $"{time} security event={securityEvent} src={source}{rest}";
    }

    /// <summary>A line stamped now: a live fail2ban ignores lines older than its jail's findtime.</summary>
    public static string Now(string securityEvent, string source, params string[] keyValues)
        => Format(DateTime.UtcNow, securityEvent, IPEndPoint.Parse(source), keyValues);
}
