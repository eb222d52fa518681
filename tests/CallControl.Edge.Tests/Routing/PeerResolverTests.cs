using System.Net;
using System.Net.Sockets;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// Peers cross to grains with URI hosts (IPv6 in brackets, SipHost) and come back to sockets without them (issue 20,
/// IPv6): the edge's side of the one rule for host strings.
/// </summary>
public sealed class PeerResolverTests
{
    private readonly PeerResolver _resolver = new(SystemLocator.Instance);

    [Theory]
    [InlineData("[::1]")]
    [InlineData("::1")] // a peer stored before the rule (an IPv6 source was once kept bare) still resolves
    public async Task An_IPv6_literal_resolves_without_a_lookup(string host)
    {
        var endPoint = await _resolver.ResolveAsync(new SipPeer(SipTransportKind.Tcp, host, 5090), CancellationToken.None);

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 5090), endPoint!.Value.Address);
        Assert.Equal(SipTransportKind.Tcp, endPoint.Value.Transport);
        Assert.Equal("::1", endPoint.Value.HostName); // what TLS checks against a certificate's IP addresses
    }

    [Fact]
    public async Task An_IPv4_literal_resolves_as_before()
    {
        var endPoint = await _resolver.ResolveAsync(new SipPeer(SipTransportKind.Udp, "192.0.2.7", 5060), CancellationToken.None);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5060), endPoint!.Value.Address);
    }

    [Theory]
    [InlineData(AddressFamily.InterNetworkV6)]
    [InlineData(AddressFamily.InterNetwork)]
    public async Task A_name_resolves_to_the_edges_family_when_it_has_one_and_to_the_other_when_not(AddressFamily family)
    {
        // localhost has 127.0.0.1 everywhere, and ::1 on some hosts only: either way the preferred family wins when the
        // name has it, and the name still resolves when it has only the other.
        var addresses = await Dns.GetHostAddressesAsync("localhost", AddressFamily.Unspecified);
        var expected = addresses.FirstOrDefault(a => a.AddressFamily == family) ?? addresses[0];

        var endPoint = await new PeerResolver(SystemLocator.Instance, family).ResolveAsync(new SipPeer(SipTransportKind.Udp, "localhost", 5090), CancellationToken.None);

        Assert.Equal(new IPEndPoint(expected, 5090), endPoint!.Value.Address);
        Assert.Equal("localhost", endPoint.Value.HostName);
    }

    [Theory]
    [InlineData("::1", 5070, "[::1]")]
    [InlineData("2001:db8::7", 5070, "[2001:db8::7]")]
    [InlineData("127.0.0.1", 5070, "127.0.0.1")]
    public void A_source_becomes_a_peer_with_a_uri_host(string address, int port, string host)
    {
        var peer = PeerResolver.ToPeer(new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), port), 7), "edge-1");

        Assert.Equal(new SipPeer(SipTransportKind.Udp, host, port, 7, "edge-1"), peer);
    }

    [Fact]
    public async Task A_source_made_a_peer_resolves_back_to_the_same_address()
    {
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("2001:db8::7"), 5070));

        var back = await _resolver.ResolveAsync(PeerResolver.ToPeer(source, "edge-1"), CancellationToken.None);

        Assert.Equal(source.Address, back!.Value.Address);
    }
}
