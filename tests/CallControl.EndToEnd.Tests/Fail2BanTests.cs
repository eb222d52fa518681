using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A real fail2ban-server reads a security log in the edge's contract (issue 17) through the shipped filter, and bans
/// through a file action. Where a test shows that something is not banned, it first waits for the ban of a sentinel
/// source whose lines come after: fail2ban reads a log in order, so by then every earlier line has been counted.
/// </summary>
public sealed class Fail2BanTests : IDisposable
{
    private static readonly TimeSpan BanWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FindTime = TimeSpan.FromMinutes(10);

    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-f2b-log-").FullName;

    private string LogPath => Path.Combine(_work, "security.log");

    [Fact]
    public async Task Each_counted_event_adds_a_failure_and_the_source_is_banned_at_maxretry_not_before()
    {
        await using var f2b = await Fail2Ban.StartAsync(LogPath, maxRetry: 5, FindTime);
        var source = IPAddress.Parse("127.0.0.21");
        var sentinel = IPAddress.Parse("127.0.0.22");

        await f2b.AppendAsync(
            SecurityLogLine.Now("acl", "127.0.0.21:5060", "transport=udp"),
            SecurityLogLine.Now("scanner", "127.0.0.21:5060", "transport=udp", "ua=friendly-scanner", "method=OPTIONS"),
            SecurityLogLine.Now("flood", "127.0.0.21:5060", "transport=udp", "method=INVITE"),
            SecurityLogLine.Now("auth-failure", "127.0.0.21:5060", "transport=udp", "user=alice", "method=REGISTER"));
        await f2b.AppendAsync([.. Enumerable.Range(0, 5).Select(_ => SecurityLogLine.Now("auth-failure", "127.0.0.22:5062", "transport=tcp", "user=bob", "method=INVITE"))]);
        await f2b.WaitForBanAsync(sentinel, BanWait);

        var before = await f2b.StatusAsync();
        Assert.Equal(4 + 5, before.TotalFailed);
        Assert.Equal(1, before.CurrentlyFailed); // the source, at 4 of 5
        Assert.Equal([sentinel], before.Banned);

        await f2b.AppendAsync(SecurityLogLine.Now("banned", "127.0.0.21:5060", "reason=auth-failure", "for=600"));
        var ban = await f2b.WaitForBanAsync(source, BanWait);

        Assert.Equal($"ban 127.0.0.21 jail={Fail2Ban.Jail} failures=5", ban);
        Assert.Equal(["127.0.0.21", "127.0.0.22"], (await f2b.StatusAsync()).Banned.Select(a => a.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_forged_src_in_an_attacker_value_bans_the_real_source_and_never_the_forged_one()
    {
        await using var f2b = await Fail2Ban.StartAsync(LogPath, maxRetry: 3, FindTime);
        var forged = IPAddress.Parse("10.9.9.9");

        // Exactly maxretry lines: the real source is banned only if every one of them is counted for it.
        await f2b.AppendAsync(
            SecurityLogLine.Now("auth-failure", "127.0.0.23:5060", "transport=udp", "user=x%20src=10.9.9.9", "method=REGISTER"),
            SecurityLogLine.Now("scanner", "127.0.0.23:5060", "transport=udp", "ua=sipvicious%20src=10.9.9.9:5060"),
            SecurityLogLine.Now("auth-failure", "127.0.0.23:5060", "transport=udp", "user=src%3D10.9.9.9", "method=INVITE"));
        var ban = await f2b.WaitForBanAsync(IPAddress.Parse("127.0.0.23"), BanWait);

        Assert.EndsWith("failures=3", ban, StringComparison.Ordinal);
        var status = await f2b.StatusAsync();
        Assert.Equal(3, status.TotalFailed);
        Assert.Equal(0, status.CurrentlyFailed);
        Assert.Equal([IPAddress.Parse("127.0.0.23")], status.Banned);
        Assert.DoesNotContain(forged, f2b.BannedAddresses());
    }

    [Fact]
    public async Task A_bracketed_IPv6_source_is_banned()
    {
        await using var f2b = await Fail2Ban.StartAsync(LogPath, maxRetry: 3, FindTime);
        var source = IPAddress.Parse("2001:db8::7");

        await f2b.AppendAsync(
            SecurityLogLine.Now("auth-failure", "[2001:db8::7]:5060", "transport=udp", "user=alice", "method=REGISTER"),
            SecurityLogLine.Now("auth-failure", "[2001:db8::7]:5060", "transport=udp", "user=alice", "method=REGISTER"),
            SecurityLogLine.Now("banned", "[2001:db8::7]:5060", "reason=auth-failure", "for=600"));
        var ban = await f2b.WaitForBanAsync(source, BanWait);

        Assert.Equal($"ban 2001:db8::7 jail={Fail2Ban.Jail} failures=3", ban);
        Assert.Equal([source], (await f2b.StatusAsync()).Banned);
    }

    [Fact]
    public async Task Unbanned_lines_alone_count_nothing_and_ban_nothing()
    {
        await using var f2b = await Fail2Ban.StartAsync(LogPath, maxRetry: 3, FindTime);
        var unbanned = IPAddress.Parse("127.0.0.24");
        var sentinel = IPAddress.Parse("127.0.0.25");

        await f2b.AppendAsync([.. Enumerable.Range(0, 6).Select(_ => SecurityLogLine.Now("unbanned", "127.0.0.24:5060"))]);
        await f2b.AppendAsync([.. Enumerable.Range(0, 3).Select(_ => SecurityLogLine.Now("flood", "127.0.0.25:5060", "method=OPTIONS"))]);
        await f2b.WaitForBanAsync(sentinel, BanWait);

        var status = await f2b.StatusAsync();
        Assert.Equal(3, status.TotalFailed); // the sentinel's only
        Assert.Equal(0, status.CurrentlyFailed);
        Assert.Equal([sentinel], status.Banned);
        Assert.DoesNotContain(unbanned, f2b.BannedAddresses());
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
