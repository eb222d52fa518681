using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The transports an edge runs, WebSocket (RFC 7118) included: an unknown one stops start-up with a line naming the key,
/// and the ports an edge advertises for each kind, for Via and Contact.
/// </summary>
public sealed class EdgeTransportsTests
{
    [Theory]
    [InlineData("udp,sctp")]
    [InlineData("websocket")]
    public void A_transport_the_edge_does_not_run_fails_validation_naming_the_key(string transports)
    {
        var result = new EdgeOptionsValidator().Validate(null, new EdgeOptions { Transports = transports });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.StartsWith("CallControl:Edge:Transports: ", failure, StringComparison.Ordinal);
        Assert.Contains("udp, tcp, tls, ws, wss", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UDP, tcp,tls")]
    [InlineData("udp,tcp,tls,ws,wss")]
    [InlineData("wss")]
    public void The_transports_the_edge_runs_pass(string transports)
        => Assert.True(new EdgeOptionsValidator().Validate(null, new EdgeOptions { Transports = transports }).Succeeded);

    [Fact]
    public void WebSocket_is_not_run_unless_listed()
        => Assert.DoesNotContain(new EdgeOptions().TransportKinds, k => k is SipTransportKind.Ws or SipTransportKind.Wss);

    [Fact]
    public void The_transports_read_as_kinds_in_order()
        => Assert.Equal([SipTransportKind.Tls, SipTransportKind.Wss, SipTransportKind.Udp], new EdgeOptions { Transports = "tls,wss,udp" }.TransportKinds);

    [Fact]
    public void An_edge_advertises_its_WebSocket_ports_and_its_own_host_in_a_WebSocket_contact()
    {
        var edge = new EdgeInfo("edge-1", "192.0.2.1", 5060, 5060, 5061) { WsPort = 5066, WssPort = 7443, PublicHost = "sip.example.com" };

        Assert.Equal(5066, edge.PortFor(SipTransportKind.Ws));
        Assert.Equal(7443, edge.PortFor(SipTransportKind.Wss));
        Assert.Equal(("192.0.2.1", 7443), edge.ContactFor(SipTransportKind.Wss)); // the UDP/TCP balancer carries no WebSocket
        Assert.Equal(0, new EdgeInfo("edge-2", "192.0.2.2", 5060, 5060).PortFor(SipTransportKind.Ws)); // an edge without: none
    }

    [Theory]
    [InlineData("5060", "Port")]
    [InlineData("5061", "TlsPort")]
    public void A_WebSocket_port_that_another_transport_listens_on_fails_naming_the_key(string port, string _)
    {
        var options = new EdgeOptions { Transports = "udp,tcp,tls,ws", WebSocketPort = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) };

        var failure = Assert.Single(new EdgeOptionsValidator().Validate(null, options).Failures ?? []);
        Assert.StartsWith("CallControl:Edge:WebSocketPort: ", failure, StringComparison.Ordinal);
    }
}
