using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The shipped fail2ban files, checked offline with fail2ban's own tools: the filter with fail2ban-regex against a log of
/// the contract's lines and of lines it must not count; the production jail with `fail2ban-client -t` and `-d`.
/// </summary>
public sealed class Fail2BanFilterTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-f2b-filter-").FullName;

    /// <summary>Each log line, and the address the filter must count it for (null: not counted).</summary>
    private static readonly (string Line, string? Source)[] Lines =
    [
        ("2026-12-07T10:48:15.123Z security event=auth-failure src=127.0.0.21:5060 transport=udp user=alice method=REGISTER", "127.0.0.21"),
        ("2026-12-07T10:48:15.124Z security event=acl src=192.0.2.1:5060 transport=udp", "192.0.2.1"),
        ("2026-12-07T10:48:15.125Z security event=scanner src=192.0.2.2:5070 transport=udp ua=friendly-scanner method=OPTIONS", "192.0.2.2"),
        ("2026-12-07T10:48:15.126Z security event=flood src=192.0.2.3:40000 transport=tcp method=INVITE", "192.0.2.3"),
        ("2026-12-07T10:48:15.127Z security event=banned src=192.0.2.4:5060 reason=scanner for=600", "192.0.2.4"),
        ("2026-12-07T10:48:15.128Z security event=auth-failure src=[2001:db8::7]:5060 transport=tls user=alice method=INVITE", "2001:db8::7"),
        ("2026-12-07T10:48:15.129Z security event=banned src=[2001:db8::8]:5061 reason=manual for=3600", "2001:db8::8"),
        ("2026-12-07T10:48:15.130Z security event=flood src=198.51.100.9:5060", "198.51.100.9"),

        // Forgeries: attacker-controlled values (percent-encoded as the contract says) never move the source.
        ("2026-12-07T10:48:15.131Z security event=auth-failure src=192.0.2.5:5060 transport=udp user=x%20src=10.9.9.9:5060 method=REGISTER", "192.0.2.5"),
        ("2026-12-07T10:48:15.132Z security event=scanner src=192.0.2.6:5060 ua=x%20src%3D10.9.9.9:5060", "192.0.2.6"),
        ("2026-12-07T10:48:15.132Z security event=acl src=[2001:db8::9]:5060 user=x%20src=[2001:db8::66]:5060", "2001:db8::9"),
        // ... nor would a raw space, if a writer failed to encode one: the source is read at its fixed place only.
        ("2026-12-07T10:48:15.133Z security event=auth-failure src=192.0.2.7:5060 user=x src=10.9.9.9:5060", "192.0.2.7"),

        // Not counted: an unban, other or unknown events, and lines out of the contract.
        ("2026-12-07T10:48:15.134Z security event=unbanned src=192.0.2.8:5060", null),
        ("2026-12-07T10:48:15.135Z security event=auth-ok src=192.0.2.9:5060 user=alice", null),
        ("2026-12-07T10:48:15.136Z security event=auth-failures src=192.0.2.10:5060", null),
        ("2026-12-07T10:48:15.137Z security event=unbanned src=192.0.2.11:5060 user=x%20event=banned", null),
        ("2026-12-07T10:48:15.138Z security user=x event=auth-failure src=192.0.2.12:5060", null),
        ("2026-12-07T10:48:15.139Z security event=auth-failure src=host.example:5060", null),
        ("2026-12-07T10:48:15.140Z security event=auth-failure src=192.0.2.13", null),
        ("2026-12-07T10:48:15.141Z info event=auth-failure src=192.0.2.14:5060", null),
        ("2026-12-07T10:48:15.142Z security event=acl src=192.0.2.15:5060x", null),
    ];

    [Fact]
    public async Task Fail2ban_regex_counts_exactly_the_contract_failures_for_their_transport_source()
    {
        var log = Path.Combine(_work, "security.log");
        await File.WriteAllLinesAsync(log, Lines.Select(row => row.Line));

        var (exit, output) = await RunAsync("fail2ban-regex", "-o", "<ip> <msg>", log, Fail2Ban.ShippedFilter);

        Assert.True(exit == 0, output);
        var expected = Lines.Where(row => row.Source is not null).Select(row => (IPAddress.Parse(row.Source!), row.Line)).ToList();
        Assert.Equal(expected, Fail2BanOutput.ParseRegexMatches(output));
    }

    [Fact]
    public async Task The_production_jail_reads_every_edge_log_and_bans_the_sip_ports_with_nftables()
    {
        var conf = ProductionConfig();
        foreach (var name in new[] { "security.log", "security-edge-2.log", "calls.log" })
        {
            await File.WriteAllTextAsync(Path.Combine(_work, name), "");
        }

        var (testExit, test) = await RunAsync("fail2ban-client", "-c", conf, "-t");
        Assert.True(testExit == 0 && test.Contains("OK: configuration test is successful", StringComparison.Ordinal), test);

        var (dumpExit, dump) = await RunAsync("fail2ban-client", "-c", conf, "-d");
        Assert.True(dumpExit == 0, dump);
        Assert.Contains("['add', 'callcontrol', 'polling']", dump, StringComparison.Ordinal);
        Assert.Contains($"['set', 'callcontrol', 'addlogpath', '{_work}/security.log', 'head']", dump, StringComparison.Ordinal);
        Assert.Contains($"['set', 'callcontrol', 'addlogpath', '{_work}/security-edge-2.log', 'head']", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("calls.log", dump, StringComparison.Ordinal);
        Assert.Contains("['set', 'callcontrol', 'addaction', 'nftables-multiport']", dump, StringComparison.Ordinal);
        Assert.Contains("['port', '5060,5061']", dump, StringComparison.Ordinal);
        Assert.Contains("['protocol', 'udp,tcp']", dump, StringComparison.Ordinal);
        Assert.Contains("nft add element inet f2b-table <addr_set>", dump, StringComparison.Ordinal);
        Assert.Contains("['set', 'callcontrol', 'addfailregex', '^\\\\s*security event=(?:acl|scanner|flood|auth-failure|banned) ", dump, StringComparison.Ordinal);
    }

    /// <summary>/etc/fail2ban with the shipped filter and jail instead of Debian's jails; the jail's log directory moved here.</summary>
    private string ProductionConfig()
    {
        var conf = Path.Combine(_work, "conf");
        Fail2BanConfig.CopyWithoutJails(conf);
        File.Copy(Fail2Ban.ShippedFilter, Path.Combine(conf, "filter.d", "callcontrol.conf"));
        var jailText = File.ReadAllText(Fail2Ban.ShippedJail);
        Assert.Contains("logpath   = /var/log/callcontrol/security*.log", jailText, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(conf, "jail.d", "callcontrol.conf"), jailText.Replace("/var/log/callcontrol/", _work + "/", StringComparison.Ordinal));
        return conf;
    }

    private async Task<(int Exit, string Output)> RunAsync(string tool, params string[] arguments)
    {
        await using var process = ChildProcess.Start(tool, arguments, _work);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
