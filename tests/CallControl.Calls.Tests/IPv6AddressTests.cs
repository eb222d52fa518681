using CallControl.Calls;
using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Calls.Tests;

/// <summary>
/// An edge on IPv6 and IPv6 targets (issue 20): edges and peers carry URI hosts (IPv6 in brackets, SipHost), so what
/// grains build from them (Via sent-by, Contact, a target's peer) is valid SIP as it stands.
/// </summary>
public sealed class IPv6AddressTests : IDisposable
{
    private static readonly EdgeInfo Edge6 = new("edge-v6", "[2001:db8::1]", 5060, 5062, 5061);
    private static readonly EdgeInfo DualStack = new("edge-ds", "192.0.2.1", 5060, 5062, 5061) { AlternateHost = "[2001:db8::1]" };
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Theory]
    [InlineData(SipTransportKind.Udp, "SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK-v6;rport", "<sip:[2001:db8::1]:5060>")]
    [InlineData(SipTransportKind.Tcp, "SIP/2.0/TCP [2001:db8::1]:5062;branch=z9hG4bK-v6;rport", "<sip:[2001:db8::1]:5062;transport=tcp>")]
    [InlineData(SipTransportKind.Tls, "SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK-v6;rport", "<sip:[2001:db8::1]:5061;transport=tls>")]
    public void Via_and_contact_bracket_an_IPv6_edge(SipTransportKind transport, string via, string contact)
    {
        var peer = new SipPeer(transport, "[2001:db8::7]", 5070);
        Assert.Equal(via, EdgeAddresses.Via(Edge6, peer, "z9hG4bK-v6"));
        Assert.Equal(contact, EdgeAddresses.Contact(Edge6, peer));
        Assert.Equal(via, EdgeAddresses.Via(DualStack, peer, "z9hG4bK-v6")); // a dual-stack edge names its IPv6 address to an IPv6 peer
        Assert.Equal(contact, EdgeAddresses.Contact(DualStack, peer));
        Assert.True(ViaHeader.TryParse(via, out var parsed));
        Assert.Equal(("[2001:db8::1]", (int?)Edge6.PortFor(transport)), (parsed.Host, parsed.Port));
    }

    [Fact]
    public void A_balancer_on_IPv6_is_bracketed_in_contact_too()
        => Assert.Equal("<sip:[2001:db8::9]:5060>", EdgeAddresses.Contact(Edge6 with { PublicHost = "[2001:db8::9]", PublicPort = 5060 }, new SipPeer(SipTransportKind.Udp, "[2001:db8::7]", 5070)));

    [Theory]
    [InlineData("[2001:db8::7]", "[2001:db8::1]")]
    [InlineData("192.0.2.7", "192.0.2.1")]
    [InlineData("carrier.example.com", "192.0.2.1")] // a name resolves in the edge host's family first (PeerResolver)
    [InlineData("sip1", "192.0.2.1")] // a name that ends in a digit is still a name
    [InlineData("", "192.0.2.1")]
    public void A_dual_stack_edge_names_the_address_of_the_peers_family(string peerHost, string host)
    {
        Assert.Equal(host, DualStack.HostFor(peerHost));
        var v6First = DualStack with { Host = "[2001:db8::1]", AlternateHost = "192.0.2.1" };
        Assert.Equal(peerHost == "[2001:db8::7]" ? "[2001:db8::1]" : peerHost == "192.0.2.7" ? "192.0.2.1" : "[2001:db8::1]", v6First.HostFor(peerHost));
        Assert.Equal("192.0.2.1", (DualStack with { AlternateHost = null }).HostFor(peerHost)); // single stack: always its host
    }

    [Fact]
    public void A_dual_stack_edge_names_its_IPv4_address_to_an_IPv4_peer()
    {
        var peer = new SipPeer(SipTransportKind.Udp, "192.0.2.7", 5070);
        Assert.Equal("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-v4;rport", EdgeAddresses.Via(DualStack, peer, "z9hG4bK-v4"));
        Assert.Equal("<sip:192.0.2.1:5060>", EdgeAddresses.Contact(DualStack, peer));
    }

    [Theory]
    [InlineData("sip:[::1]:5090", SipTransportKind.Udp, "[::1]", 5090)]
    [InlineData("sip:bob@[::1]:5090;transport=tcp", SipTransportKind.Tcp, "[::1]", 5090)]
    [InlineData("sips:[2001:db8::7]", SipTransportKind.Tls, "[2001:db8::7]", 5061)]
    [InlineData("sip:carrier.example.com;maddr=[2001:db8::8]", SipTransportKind.Udp, "[2001:db8::8]", 5060)]
    [InlineData("sip:carrier.example.com;maddr=2001:db8::8", SipTransportKind.Udp, "[2001:db8::8]", 5060)] // written bare, kept bracketed
    public void An_IPv6_target_becomes_a_peer_with_a_bracketed_host(string target, SipTransportKind transport, string host, int port)
        => Assert.Equal(new SipPeer(transport, host, port), SipTargets.For(SipUri.Parse(target)));

    [Fact]
    public async Task A_call_through_an_IPv6_edge_names_it_in_the_callee_legs_via_and_contact()
    {
        var call = new CallScript(_calls, $"ipv6-edge-{Guid.NewGuid():N}@127.0.0.1", edge: Edge6);

        await call.InviteAsync();

        var invite = call.CalleeInvite!;
        Assert.Equal(("[2001:db8::1]", (int?)5060), (invite.TopVia.Host, invite.TopVia.Port));
        var contact = Assert.Single(invite.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(("[2001:db8::1]", (int?)5060), (contact.Host, contact.Port));
    }
}
