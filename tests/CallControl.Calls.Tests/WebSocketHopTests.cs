using CallControl.Calls;
using CallControl.Grains;
using CallControl.Sip.Transport;

namespace CallControl.Calls.Tests;

/// <summary>
/// In-dialog requests to a WebSocket client (RFC 7118): its Contact names an <c>.invalid</c> host with
/// <c>;transport=ws</c>, over WSS too, and is reached only over the connection it came on.
/// </summary>
public sealed class WebSocketHopTests
{
    private static readonly EdgeInfo Edge = new("edge-1", "192.0.2.1", 5060, 5060, 5061) { WsPort = 5066, WssPort = 7443 };

    [Theory]
    [InlineData(SipTransportKind.Ws)]
    [InlineData(SipTransportKind.Wss)]
    public void A_callee_on_a_websocket_is_reached_over_its_connection_whatever_its_contact_says(SipTransportKind kind)
    {
        var connection = new SipPeer(kind, "203.0.113.5", 51000, ConnectionId: 7, EdgeId: "edge-1");
        var leg = new CalleeLeg { Peer = connection, Edge = Edge, Uri = "sip:alice@k3j2h1.invalid;transport=ws", RemoteTarget = "sip:alice@k3j2h1.invalid;transport=ws" };

        var hop = LegMessages.CalleeHop(leg);

        Assert.Equal(connection, hop);
        var via = EdgeAddresses.Via(Edge, hop, "z9hG4bK-1");
        Assert.StartsWith(kind == SipTransportKind.Wss ? "SIP/2.0/WSS 192.0.2.1:7443;" : "SIP/2.0/WS 192.0.2.1:5066;", via, StringComparison.Ordinal);
        Assert.Equal(kind == SipTransportKind.Wss ? "<sip:192.0.2.1:7443;transport=wss>" : "<sip:192.0.2.1:5066;transport=ws>", EdgeAddresses.Contact(Edge, hop));
    }

    [Theory]
    [InlineData(SipTransportKind.Ws, SipTransportKind.Wss, true)]
    [InlineData(SipTransportKind.Wss, SipTransportKind.Ws, true)]
    [InlineData(SipTransportKind.Tcp, SipTransportKind.Tcp, true)]
    [InlineData(SipTransportKind.Tcp, SipTransportKind.Tls, false)]
    [InlineData(SipTransportKind.Ws, SipTransportKind.Tcp, false)]
    public void A_uri_of_one_websocket_kind_is_reached_over_a_flow_of_the_other(SipTransportKind named, SipTransportKind flow, bool same)
        => Assert.Equal(same, named.SameFlowKind(flow));
}
