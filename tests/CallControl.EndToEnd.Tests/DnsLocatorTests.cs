using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure.Dns;
using CallControl.Sip.Dns;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The RFC 3263 locator against a real DNS server (dnsmasq on a loopback port): NAPTR, then SRV in priority order, then
/// A and AAAA; a URI's transport or port cutting the lookups short; answers kept for their TTL.
/// </summary>
public sealed class DnsLocatorTests : IAsyncLifetime
{
    private static readonly DnsZone Zone = new DnsZone("test") { Ttl = 60 }
        // carrier.test: NAPTR to TCP (its SRV: a first, b second); a has IPv4, b both.
        .Naptr("carrier.test", order: 10, preference: 50, "SIP+D2T", "_sip._tcp.carrier.test")
        .Srv("_sip._tcp.carrier.test", "b.carrier.test", 5073, priority: 20, weight: 0)
        .Srv("_sip._tcp.carrier.test", "a.carrier.test", 5072, priority: 10, weight: 0)
        .Host("a.carrier.test", "127.0.0.2")
        .Host("b.carrier.test", "127.0.0.3", "::1")
        // trunk.test: no NAPTR, SRV for UDP and TLS.
        .Srv("_sip._udp.trunk.test", "a.trunk.test", 5080, priority: 10, weight: 100)
        .Srv("_sips._tcp.trunk.test", "a.trunk.test", 5081, priority: 10, weight: 100)
        .Host("a.trunk.test", "127.0.0.4")
        // plain.test: an address and nothing else.
        .Host("plain.test", "127.0.0.5");

    private DnsmasqServer _dns = null!;
    private DnsSipLocator _locator = null!;

    public async Task InitializeAsync()
    {
        _dns = await DnsmasqServer.StartAsync(Zone);
        _locator = Locator(_dns.Address);
    }

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    [Fact]
    public async Task Naptr_picks_the_transport_and_srv_orders_the_servers_each_by_its_addresses()
    {
        var hops = await _locator.LocateAsync(SipUri.Parse("sip:+4930123@carrier.test"), CancellationToken.None);

        Assert.Equal(
            [
                new SipHop(SipTransportKind.Tcp, IPAddress.Parse("127.0.0.2"), 5072, "carrier.test"),
                new SipHop(SipTransportKind.Tcp, IPAddress.Parse("127.0.0.3"), 5073, "carrier.test"),
                new SipHop(SipTransportKind.Tcp, IPAddress.IPv6Loopback, 5073, "carrier.test"),
            ],
            hops);
    }

    [Fact]
    public async Task Without_naptr_the_srv_of_each_transport_is_asked_and_sips_takes_tls_only()
    {
        var sip = await _locator.LocateAsync(SipUri.Parse("sip:trunk.test"), CancellationToken.None);
        var sips = await _locator.LocateAsync(SipUri.Parse("sips:trunk.test"), CancellationToken.None);

        Assert.Equal(
            [new SipHop(SipTransportKind.Udp, IPAddress.Parse("127.0.0.4"), 5080, "trunk.test"), new SipHop(SipTransportKind.Tls, IPAddress.Parse("127.0.0.4"), 5081, "trunk.test")],
            sip);
        Assert.Equal([new SipHop(SipTransportKind.Tls, IPAddress.Parse("127.0.0.4"), 5081, "trunk.test")], sips);
    }

    [Fact]
    public async Task Tls_names_the_uris_domain_by_default_and_the_srv_target_when_set_so()
    {
        var uri = SipUri.Parse("sips:trunk.test");
        var byTarget = Locator(_dns.Address, TlsServerName.Target);

        Assert.Equal("trunk.test", Assert.Single(await _locator.LocateAsync(uri, CancellationToken.None)).Name); // RFC 5922 §4
        Assert.Equal("a.trunk.test", Assert.Single(await byTarget.LocateAsync(uri, CancellationToken.None)).Name);
    }

    [Fact]
    public async Task A_port_in_the_uri_asks_for_addresses_only_and_a_transport_skips_naptr()
    {
        var withPort = await _locator.LocateAsync(SipUri.Parse("sip:carrier.test:5099"), CancellationToken.None);
        var withTransport = await _locator.LocateAsync(SipUri.Parse("sip:plain.test;transport=tcp"), CancellationToken.None);

        Assert.Empty(withPort); // carrier.test has no address: §4.2 does not fall back to its SRV
        Assert.Equal([new SipHop(SipTransportKind.Tcp, IPAddress.Parse("127.0.0.5"), 5060, "plain.test")], withTransport);
        Assert.Equal(0, _dns.QueriesFor("plain.test", "NAPTR"));
        Assert.Equal(1, _dns.QueriesFor("_sip._tcp.plain.test", "SRV"));
    }

    [Fact]
    public async Task A_name_dns_does_not_know_has_no_server()
        => Assert.Empty(await _locator.LocateAsync(SipUri.Parse("sip:1000@nowhere.test"), CancellationToken.None));

    [Fact]
    public async Task Answers_are_kept_for_their_ttl_and_asked_again_after_it()
    {
        await using var shortLived = await DnsmasqServer.StartAsync(new DnsZone("test") { Ttl = 1 }.Host("brief.test", "127.0.0.6"));
        var locator = Locator(shortLived.Address);
        var uri = SipUri.Parse("sip:brief.test:5060");

        var first = await locator.LocateAsync(uri, CancellationToken.None);
        var again = await locator.LocateAsync(uri, CancellationToken.None);
        Assert.Equal(first, again);
        Assert.Equal(1, shortLived.QueriesFor("brief.test", "A"));

        // Past the 1 s TTL the next lookup asks again (bounded: 20 tries of 100 ms).
        for (var attempt = 0; attempt < 20 && shortLived.QueriesFor("brief.test", "A") < 2; attempt++)
        {
            await Task.Delay(100);
            await locator.LocateAsync(uri, CancellationToken.None);
        }

        Assert.Equal(2, shortLived.QueriesFor("brief.test", "A"));
    }

    private static DnsSipLocator Locator(string server, TlsServerName tlsName = TlsServerName.Domain)
        => new(Options.Create(new DnsOptions { Servers = [server], TlsServerName = tlsName }), NullLogger<DnsSipLocator>.Instance);
}
