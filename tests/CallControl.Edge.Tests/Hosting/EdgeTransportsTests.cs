using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The WebSocket transports (RFC 7118) exist as kinds before the edge runs them: asking the edge for one stops start-up
/// with a line naming the key, and building a message for a peer on one says which transport is missing.
/// </summary>
public sealed class EdgeTransportsTests
{
    [Theory]
    [InlineData("udp,ws")]
    [InlineData("wss")]
    [InlineData("udp,sctp")]
    public void A_transport_the_edge_does_not_run_fails_validation_naming_the_key(string transports)
    {
        var result = new EdgeOptionsValidator().Validate(null, new EdgeOptions { Transports = transports });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.StartsWith("CallControl:Edge:Transports: ", failure, StringComparison.Ordinal);
        Assert.Contains("ws and wss are not run yet", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_transports_the_edge_runs_pass()
        => Assert.True(new EdgeOptionsValidator().Validate(null, new EdgeOptions { Transports = "UDP, tcp,tls" }).Succeeded);

    [Fact]
    public void The_transports_read_as_kinds_in_order()
        => Assert.Equal([SipTransportKind.Tls, SipTransportKind.Udp], new EdgeOptions { Transports = "tls,udp" }.TransportKinds);

    [Theory]
    [InlineData(SipTransportKind.Ws, "WS")]
    [InlineData(SipTransportKind.Wss, "WSS")]
    public void An_edge_has_no_port_for_a_WebSocket_peer_and_says_so(SipTransportKind kind, string name)
    {
        var edge = new EdgeInfo("edge-1", "192.0.2.1", 5060, 5060, 5061);

        var error = Assert.Throws<NotSupportedException>(() => edge.PortFor(kind));
        Assert.Contains($"no {name} transport", error.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => edge.ContactFor(kind));
        Assert.Equal(5061, edge.PortFor(SipTransportKind.Tls)); // the kinds it runs keep their ports
    }
}
