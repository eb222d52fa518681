using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>The readers of fail2ban's output, on output captured from fail2ban 1.0.2.</summary>
public sealed class Fail2BanOutputTests
{
    private const string Status = """
        Status for the jail: callcontrol
        |- Filter
        |  |- Currently failed:	1
        |  |- Total failed:	4
        |  `- File list:	/tmp/f2b/security.log
        `- Actions
           |- Currently banned:	2
           |- Total banned:	2
           `- Banned IP list:	127.0.0.21 2001:db8::7
        """;

    [Fact]
    public void Status_gives_the_counts_and_the_banned_addresses()
    {
        var status = Fail2BanOutput.ParseStatus(Status);

        Assert.Equal(1, status.CurrentlyFailed);
        Assert.Equal(4, status.TotalFailed);
        Assert.Equal([IPAddress.Parse("127.0.0.21"), IPAddress.Parse("2001:db8::7")], status.Banned);
    }

    [Fact]
    public void Status_with_nobody_banned_has_an_empty_list_and_other_output_is_refused()
    {
        Assert.Empty(Fail2BanOutput.ParseStatus(Status.Replace("127.0.0.21 2001:db8::7", "", StringComparison.Ordinal)).Banned);
        Assert.Throws<FormatException>(() => Fail2BanOutput.ParseStatus("Sorry but the jail 'callcontrol' does not exist"));
    }

    [Fact]
    public void Action_lines_are_found_by_verb_and_address_compared_as_addresses()
    {
        string[] lines = ["ban 127.0.0.21 jail=callcontrol failures=3", "ban 2001:db8::7 jail=callcontrol failures=3", "unban 127.0.0.21 jail=callcontrol", "bang 127.0.0.9"];

        Assert.Equal(lines[0], Fail2BanOutput.FindAction(lines, "ban", IPAddress.Parse("127.0.0.21")));
        Assert.Equal(lines[1], Fail2BanOutput.FindAction(lines, "ban", IPAddress.Parse("2001:DB8:0::7")));
        Assert.Equal(lines[2], Fail2BanOutput.FindAction(lines, "unban", IPAddress.Parse("127.0.0.21")));
        Assert.Null(Fail2BanOutput.FindAction(lines, "ban", IPAddress.Parse("127.0.0.2")));
        Assert.Null(Fail2BanOutput.FindAction(lines, "unban", IPAddress.Parse("2001:db8::7")));
        Assert.Equal([IPAddress.Parse("127.0.0.21"), IPAddress.Parse("2001:db8::7")], Fail2BanOutput.BannedAddresses(lines));
    }

    [Fact]
    public void Regex_matches_pair_each_address_with_its_line_and_skip_other_output()
    {
        const string output = """
            2026-12-07 10:52:32,944 fail2ban.configreader   [7267]: WARNING 'allowipv6' not defined in 'Definition'. Using default one: 'auto'
            127.0.0.21 2026-12-07T10:48:15.200Z security event=auth-failure src=127.0.0.21:5060 user=x%20src=10.9.9.9
            2001:db8::7 2026-12-07T10:48:16.020Z security event=banned src=[2001:db8::7]:5060 reason=scanner for=600
            7 not an address
            """;

        Assert.Equal(
            [
                (IPAddress.Parse("127.0.0.21"), "2026-12-07T10:48:15.200Z security event=auth-failure src=127.0.0.21:5060 user=x%20src=10.9.9.9"),
                (IPAddress.Parse("2001:db8::7"), "2026-12-07T10:48:16.020Z security event=banned src=[2001:db8::7]:5060 reason=scanner for=600"),
            ],
            Fail2BanOutput.ParseRegexMatches(output));
    }
}
