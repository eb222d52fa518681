using System.Net;
using System.Net.Sockets;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Sip.Tests.Transport;

/// <summary>
/// A dual-stack node (issue 20, IPv6): one transport of a kind per IP family, and each destination sent through the
/// one of its family (a socket bound to 127.0.0.1 cannot send to ::1), on real loopback sockets.
/// </summary>
public sealed class DualStackTransportSetTests
{
    [Fact]
    public async Task A_destination_goes_out_through_the_transport_of_its_family()
    {
        var v4 = Udp(IPAddress.Loopback);
        var v6 = Udp(IPAddress.IPv6Loopback);
        await using var transports = new TransportSet([v4, v6]);
        using var peer4 = Peer(IPAddress.Loopback);
        using var peer6 = Peer(IPAddress.IPv6Loopback);

        transports.Send(new SipEndPoint(SipTransportKind.Udp, (IPEndPoint)peer6.LocalEndPoint!), TestMessages.Bytes(TestMessages.Request("OPTIONS")));
        transports.Send(new SipEndPoint(SipTransportKind.Udp, (IPEndPoint)peer4.LocalEndPoint!), TestMessages.Bytes(TestMessages.Request("OPTIONS")));

        Assert.Equal(v6.LocalEndPoint, await ReceivedFromAsync(peer6));
        Assert.Equal(v4.LocalEndPoint, await ReceivedFromAsync(peer4));
        Assert.Same(v4, transports.Get(SipTransportKind.Udp)); // the first is the kind's transport (the edge's ports)
        Assert.Equal(2, transports.All.Count());
    }

    [Fact]
    public async Task A_single_stack_set_sends_every_family_through_its_one_transport()
    {
        var v4 = Udp(IPAddress.Loopback);
        await using var transports = new TransportSet([v4]);

        Assert.Same(v4, transports.Get(SipTransportKind.Udp, AddressFamily.InterNetworkV6)); // its send fails and is reported as before
    }

    [Fact]
    public async Task Two_transports_of_one_kind_and_family_are_refused()
    {
        await using var first = Udp(IPAddress.Loopback);
        await using var second = Udp(IPAddress.Loopback);

        Assert.Throws<ArgumentException>(() => new TransportSet([first, second]));
    }

    private static UdpTransport Udp(IPAddress address)
    {
        var transport = new UdpTransport(new IPEndPoint(address, 0), 1 << 16, NullLogger<UdpTransport>.Instance, inviteWaitBound: TimeSpan.FromSeconds(1));
        transport.Bind();
        return transport;
    }

    private static Socket Peer(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static async Task<EndPoint> ReceivedFromAsync(Socket peer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var any = new IPEndPoint(peer.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var result = await peer.ReceiveFromAsync(new byte[4096], SocketFlags.None, any, timeout.Token);
        return result.RemoteEndPoint;
    }
}
