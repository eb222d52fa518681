using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.EndToEnd.Tests.Infrastructure.Dns;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Calls through the embedded node to a target named by DNS (RFC 3263), the DNS a real server on loopback
/// (<c>CallControl:Dns:Servers</c>): the first server by SRV priority is down (503 over UDP; nothing listening over
/// TCP, reached through NAPTR), and the call goes on to the next, keeping the target's name in its Request-URI.
/// </summary>
public sealed class DnsTargetNodeTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-dns-calls-").FullName;

    [Fact]
    public async Task A_trunk_by_srv_name_fails_over_from_a_server_that_answers_503_to_the_next()
    {
        var (down, up) = (FreePorts.Next(), FreePorts.Next());
        var zone = new DnsZone("test")
            .Srv("_sip._udp.trunk.test", "a.trunk.test", down, priority: 10, weight: 0)
            .Srv("_sip._udp.trunk.test", "b.trunk.test", up, priority: 20, weight: 0)
            .Host("a.trunk.test", "127.0.0.1")
            .Host("b.trunk.test", "127.0.0.1");
        await using var dns = await DnsmasqServer.StartAsync(zone);
        await using var node = await NodeProcess.StartAsync("sip:trunk.test", Settings(dns));
        await using var unavailable = await Sipp.StartCalleeAsync("unavailable-uas.xml", "udp", down, 1, _work);
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", up, 1, _work);

        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", node.SipPort, 1, rate: 1, "dns-srv-", _work, "-s", "2000");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        Assert.Equal(0, await unavailable.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var cdr = Assert.Single(await node.WaitForCdrsAsync("dns-srv-"));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal("sip:2000@trunk.test", cdr.CalleeRouted);
        Assert.Contains("trying its next server", node.Output, StringComparison.Ordinal);
        Assert.Equal(1, dns.QueriesFor("_sip._udp.trunk.test", "SRV"));
    }

    [Fact]
    public async Task A_carrier_by_naptr_name_is_reached_over_tcp_past_a_server_that_refuses_connections()
    {
        var (refusing, up) = (FreePorts.Next(), FreePorts.Next()); // nothing listens on the first: the connection is refused
        var zone = new DnsZone("test")
            .Naptr("carrier.test", order: 10, preference: 10, "SIP+D2T", "_sip._tcp.carrier.test")
            .Srv("_sip._tcp.carrier.test", "a.carrier.test", refusing, priority: 10, weight: 0)
            .Srv("_sip._tcp.carrier.test", "b.carrier.test", up, priority: 20, weight: 0)
            .Host("a.carrier.test", "127.0.0.1")
            .Host("b.carrier.test", "127.0.0.1");
        await using var dns = await DnsmasqServer.StartAsync(zone);
        await using var node = await NodeProcess.StartAsync("sip:carrier.test", Settings(dns));
        await using var callee = await Sipp.StartCalleeAsync("uas", "tcp", up, 1, _work);

        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", node.SipPort, 1, rate: 1, "dns-naptr-", _work, "-s", "+4930123");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var cdr = Assert.Single(await node.WaitForCdrsAsync("dns-naptr-"));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal("sip:+4930123@carrier.test", cdr.CalleeRouted);
        Assert.Equal(1, dns.QueriesFor("carrier.test", "NAPTR"));
    }

    [Fact]
    public async Task Kamailio_as_the_carriers_proxy_is_reached_by_its_srv_name_and_stays_on_the_dialogs_path()
    {
        var up = FreePorts.Next();
        await using var callee = await Sipp.StartCalleeAsync("proxied-uas.xml", "udp", up, 1, _work);
        await using var kamailio = await KamailioProxy.StartAsync(up);
        var zone = new DnsZone("test")
            .Srv("_sip._udp.proxy.test", "edge1.proxy.test", kamailio.Port, priority: 10, weight: 0)
            .Host("edge1.proxy.test", "127.0.0.1");
        await using var dns = await DnsmasqServer.StartAsync(zone);
        await using var node = await NodeProcess.StartAsync("sip:proxy.test", Settings(dns));

        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", node.SipPort, 1, rate: 1, "dns-kamailio-", _work, "-s", "4000");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}\nKamailio:\n{kamailio.Output}");
        Assert.True(await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"{callee.Output}\nKamailio:\n{kamailio.Output}");
        var cdr = Assert.Single(await node.WaitForCdrsAsync("dns-kamailio-"));
        Assert.Equal((CallDisposition.Answered, "sip:4000@proxy.test"), (cdr.Disposition, cdr.CalleeRouted));
        // The INVITE went to the proxy by its SRV name; the 2xx's ACK and the caller's BYE, relayed by us, followed the
        // proxy's Record-Route (RFC 3261 §12.2.1.1).
        Assert.Contains("INVITE for sip:4000@proxy.test", kamailio.Relayed);
        Assert.Contains(kamailio.Relayed, r => r.StartsWith("in-dialog BYE to ", StringComparison.Ordinal));
        Assert.Contains(kamailio.Relayed, r => r.StartsWith("in-dialog ACK to ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_target_dns_does_not_know_fails_the_call_at_once_with_503()
    {
        await using var dns = await DnsmasqServer.StartAsync(new DnsZone("test"));
        await using var node = await NodeProcess.StartAsync("sip:nowhere.test", Settings(dns));

        var (exit, output) = await Sipp.RunCallerAsync("refused-uac.xml", "udp", node.SipPort, 1, rate: 1, "dns-none-", _work, "-s", "3000");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        var cdr = Assert.Single(await node.WaitForCdrsAsync("dns-none-"));
        Assert.Equal((CallDisposition.Failed, 503), (cdr.Disposition, cdr.FinalStatus));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Dictionary<string, string> Settings(DnsmasqServer dns) => new() { ["CallControl__Dns__Servers__0"] = dns.Address };
}
