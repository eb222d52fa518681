using System.Net;
using CallControl.Edge.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// The security log fail2ban reads: its fixed line format (event and source first, IPv6 bracketed, values
/// percent-encoded so that no attacker's text forges a key or a line), the file with its time prefix, the process log
/// at Warning, the event counter, and acl lines that a flood of denied packets does not multiply.
/// </summary>
public sealed class SecurityLogTests : IDisposable
{
    private static readonly IPEndPoint Source = new(IPAddress.Parse("203.0.113.7"), 5060);

    private readonly SecurityTestKit _kit = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 48, 15, 123, TimeSpan.Zero));

    public void Dispose() => _kit.Dispose();

    [Fact]
    public void A_line_starts_with_the_event_and_the_source_then_the_details_in_order()
        => Assert.Equal(
            "security event=auth-failure src=203.0.113.7:5060 transport=udp user=alice method=REGISTER",
            SecurityLogLine.Body("auth-failure", Source, [("transport", "udp"), ("user", "alice"), ("method", "REGISTER")]));

    [Fact]
    public void A_detail_without_a_value_is_left_out()
        => Assert.Equal(
            "security event=auth-failure src=203.0.113.7:5060 method=INVITE",
            SecurityLogLine.Body("auth-failure", Source, [("user", null), ("method", "INVITE")]));

    [Theory]
    [InlineData("2001:db8::7", 5061, "[2001:db8::7]:5061")]
    [InlineData("::ffff:203.0.113.7", 5060, "203.0.113.7:5060")] // a dual-stack socket's view of an IPv4 source
    [InlineData("192.0.2.1", 0, "192.0.2.1:0")]
    public void A_source_is_written_as_an_address_and_port_with_IPv6_bracketed(string address, int port, string written)
        => Assert.Equal(written, SecurityLogLine.Format(new IPEndPoint(IPAddress.Parse(address), port)));

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("x src=1.2.3.4", "x%20src%3D1.2.3.4")]           // a user name cannot add a key fail2ban would read
    [InlineData("a\r\nsecurity event=banned", "a%0D%0Asecurity%20event%3Dbanned")] // nor a line
    [InlineData("100%", "100%25")]                                 // the escape itself is escaped: decoding is unambiguous
    [InlineData("tab\there", "tab%09here")]
    [InlineData("nul\0", "nul%00")]
    [InlineData("del\u007f", "del%7F")]
    [InlineData("bjørn", "bj%C3%B8rn")]                            // UTF-8 bytes
    [InlineData("", "-")]                                          // an empty value still has something after '='
    public void A_value_is_percent_encoded_so_it_holds_no_space_equals_sign_or_line_break(string value, string encoded)
        => Assert.Equal(encoded, SecurityLogLine.Encode(value));

    [Fact]
    public void A_forged_user_name_stays_one_value()
    {
        var line = SecurityLogLine.Body("auth-failure", Source, [("user", "x src=198.51.100.1:5060 user=y"), ("method", "REGISTER")]);

        Assert.Equal(["security", "event=auth-failure", "src=203.0.113.7:5060", "user=x%20src%3D198.51.100.1:5060%20user%3Dy", "method=REGISTER"], line.Split(' '));
    }

    [Fact]
    public void The_time_prefix_is_UTC_with_milliseconds()
        => Assert.Equal(
            "2026-12-07T10:48:15.123Z security event=flood",
            SecurityLogLine.WithTime(new DateTimeOffset(2026, 12, 7, 11, 48, 15, 123, TimeSpan.FromHours(1)), "security event=flood"));

    [Fact]
    public void Each_event_is_a_file_line_a_warning_and_a_count()
    {
        using (var log = NewLog())
        {
            log.AuthFailure(Source, "UDP", "alice", "REGISTER");
            _time.Advance(TimeSpan.FromSeconds(1));
            log.Scanner(Source, "TCP", "OPTIONS", "friendly-scanner");
            log.Flood(Source, "UDP", "INVITE");
            log.Banned(Source, "flood", TimeSpan.FromMinutes(10));
            log.Unbanned(Source.Address, "expired");
        }

        Assert.Equal(
            [
                "2026-12-07T10:48:15.123Z security event=auth-failure src=203.0.113.7:5060 transport=udp user=alice method=REGISTER",
                "2026-12-07T10:48:16.123Z security event=scanner src=203.0.113.7:5060 transport=tcp method=OPTIONS ua=friendly-scanner",
                "2026-12-07T10:48:16.123Z security event=flood src=203.0.113.7:5060 transport=udp kind=INVITE",
                "2026-12-07T10:48:16.123Z security event=banned src=203.0.113.7:5060 reason=flood for=600",
                "2026-12-07T10:48:16.123Z security event=unbanned src=203.0.113.7:0 why=expired",
            ],
            _kit.LogLines());
        Assert.Equal(_kit.Events(), _kit.Logger.Entries.Select(e => e.Line));
        Assert.All(_kit.Logger.Entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        foreach (var securityEvent in new[] { "auth-failure", "scanner", "flood", "banned", "unbanned" })
        {
            Assert.Equal(1, _kit.Counted("callcontrol.security.events", $"event={securityEvent}"));
        }
    }

    [Fact]
    public void The_file_is_appended_to_not_replaced()
    {
        using (var first = NewLog())
        {
            first.Flood(Source, "UDP", "INVITE");
        }

        using (var second = NewLog())
        {
            second.Flood(Source, "UDP", "REGISTER");
        }

        Assert.Equal(["kind=INVITE", "kind=REGISTER"], _kit.LogLines().Select(line => line.Split(' ')[^1]));
    }

    [Fact]
    public void Without_a_file_events_still_go_to_the_process_log()
    {
        using var log = new SecurityLog(null, _kit.Logger, new SecurityMetrics(_kit.MeterFactory, () => 0), _time);

        log.Flood(Source, "UDP", "INVITE");

        Assert.Equal("security event=flood src=203.0.113.7:5060 transport=udp kind=INVITE", Assert.Single(_kit.Logger.Entries).Line);
        Assert.Empty(_kit.LogLines());
    }

    [Fact]
    public void An_acl_line_for_a_source_silences_the_next_ones_for_the_repeat_interval()
    {
        using var log = NewLog();
        var otherPort = new IPEndPoint(Source.Address, 40000);
        var otherSource = new IPEndPoint(IPAddress.Parse("203.0.113.8"), 5060);

        log.Acl(Source, "UDP");
        log.Acl(otherPort, "TCP");                 // the same address: silenced
        log.Acl(otherSource, "UDP");               // another address: its own line
        _time.Advance(SecurityLog.RepeatInterval - TimeSpan.FromMilliseconds(1));
        log.Acl(Source, "UDP");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        log.Acl(Source, "UDP");                    // the interval has passed

        Assert.Equal(
            [
                "security event=acl src=203.0.113.7:5060 transport=udp",
                "security event=acl src=203.0.113.8:5060 transport=udp",
                "security event=acl src=203.0.113.7:5060 transport=udp",
            ],
            _kit.Events());
        Assert.Equal(3, _kit.Counted("callcontrol.security.events", "event=acl"));
    }

    private SecurityLog NewLog() => new(_kit.LogPath, _kit.Logger, new SecurityMetrics(_kit.MeterFactory, () => 0), _time);
}
