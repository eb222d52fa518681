using CallControl.Grains.Routing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>How a call reaches a registered binding (issue 18): at its Contact, over its flow from its edge, or through its Path.</summary>
public sealed class BindingTargetsTests
{
    private static readonly EdgeInfo Edge = new("edge-1", "172.31.1.1", 5060, 5060);

    [Fact]
    public void A_binding_at_its_own_address_is_dialled_at_its_contact()
    {
        var target = BindingTargets.For(Binding(new SipPeer(SipTransportKind.Udp, "192.0.2.7", 5060, 0, "edge-1")));

        Assert.Null(target.Hop);
        Assert.False(BindingTargets.IsHeldByEdge(Binding(new SipPeer(SipTransportKind.Udp, "192.0.2.7", 5060, 0, "edge-1"))));
    }

    [Fact]
    public void A_natted_udp_binding_is_dialled_over_its_flow_from_the_edge_that_holds_it()
    {
        var binding = Binding(new SipPeer(SipTransportKind.Udp, "172.31.1.2", 20345, 0, "edge-1")) with { ThroughFlow = true };

        var target = BindingTargets.For(binding);

        Assert.Equal("sip:alice@10.250.1.2:5060", target.Uri);
        Assert.Equal(("172.31.1.2", 20345), (target.Hop!.Host, target.Hop.Port));
        Assert.True(target.Hop.IsHeldByEdge);
        Assert.Equal(Edge, target.HopEdge);
        Assert.True(BindingTargets.IsHeldByEdge(binding));
    }

    [Fact]
    public void A_tcp_binding_is_dialled_over_its_connection()
    {
        var target = BindingTargets.For(Binding(new SipPeer(SipTransportKind.Tcp, "192.0.2.7", 40001, 9, "edge-1")));

        Assert.Equal(9, target.Hop!.ConnectionId);
        Assert.True(target.Hop.IsHeldByEdge);
    }

    [Fact]
    public void A_binding_with_a_path_is_routed_through_it()
    {
        var binding = Binding(new SipPeer(SipTransportKind.Udp, "172.31.1.2", 20345, 0, "edge-1")) with { ThroughFlow = true, Path = ["<sip:p1.example.net:5070;transport=tcp;lr>", "<sip:p2.example.net;lr>"] };

        var target = BindingTargets.For(binding);

        Assert.Equal(new SipPeer(SipTransportKind.Tcp, "p1.example.net", 5070), target.Hop);
        Assert.Equal("<sip:p1.example.net:5070;transport=tcp;lr>, <sip:p2.example.net;lr>", target.Headers!["Route"]);
        Assert.False(BindingTargets.IsHeldByEdge(binding));
    }

    private static RegistrarBinding Binding(SipPeer source) => new("sip:alice@10.250.1.2:5060", DateTimeOffset.UnixEpoch.AddYears(60), "c", 1, source) { Edge = Edge };
}
