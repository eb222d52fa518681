using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>The NAT harness reads the router's conntrack table: the lines `conntrack -L -o extended` prints.</summary>
public sealed class NatRouterConntrackTests
{
    [Fact]
    public void An_unreplied_udp_entry_gives_the_phones_source_and_the_translated_one()
    {
        var entry = ConntrackEntry.TryParse(
            "ipv4     2 udp      17 29 src=10.250.7.2 dst=172.31.7.1 sport=5060 dport=40001 [UNREPLIED] src=172.31.7.1 dst=172.31.7.2 sport=40001 dport=21919 mark=0 zone=0 use=2");

        Assert.Equal(
            new ConntrackEntry("udp", 29, null, IPEndPoint.Parse("10.250.7.2:5060"), IPEndPoint.Parse("172.31.7.1:40001"), IPEndPoint.Parse("172.31.7.1:40001"), IPEndPoint.Parse("172.31.7.2:21919")),
            entry);
        Assert.Equal(IPEndPoint.Parse("172.31.7.2:21919"), entry!.PublicEndpoint);
    }

    [Fact]
    public void A_tcp_entry_has_its_state_and_the_short_form_without_the_family_columns_parses_too()
    {
        var entry = ConntrackEntry.TryParse(
            "tcp      6 431999 ESTABLISHED src=10.250.9.2 dst=172.31.9.1 sport=5060 dport=5070 src=172.31.9.1 dst=172.31.9.2 sport=5070 dport=24571 [ASSURED] mark=0 use=1");

        Assert.Equal("tcp", entry?.Protocol);
        Assert.Equal("ESTABLISHED", entry?.State);
        Assert.Equal(431_999, entry?.TimeoutSeconds);
        Assert.Equal(IPEndPoint.Parse("172.31.9.2:24571"), entry?.PublicEndpoint);
    }

    [Fact]
    public void Lines_without_two_port_tuples_are_skipped()
    {
        var table = ConntrackEntry.ParseTable("""
            ipv4     2 icmp     1 29 src=10.250.7.2 dst=172.31.7.1 type=8 code=0 id=3 src=172.31.7.1 dst=172.31.7.2 type=0 code=0 id=3 mark=0 use=1
            conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.

            ipv4     2 udp      17 3 src=10.250.7.2 dst=172.31.7.1 sport=5060 dport=40001 src=172.31.7.1 dst=172.31.7.2 sport=40001 dport=21919 mark=0 use=1
            """);

        Assert.Equal(["udp"], table.Select(e => e.Protocol));
    }
}
