using System.Net;
using System.Net.Sockets;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Media.Tests.Integration;

/// <summary>Retransmissions and timeouts against real rtpengine and a dead address.</summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineRetransmissionTests(RtpengineFixture fixture)
{
    [Fact]
    public async Task A_duplicate_datagram_with_the_same_cookie_gets_the_cached_reply_and_is_not_acted_on_twice()
    {
        using var caller = new RtpPeer(0x3333);
        var callId = "dup-" + Guid.NewGuid().ToString("N");
        var arguments = new OfferRequest(callId, "a1", caller.Sdp("caller")).ToArguments();
        var datagram = NgDatagram.Frame("dupcookie" + Guid.NewGuid().ToString("N")[..8], "offer", arguments);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var engine = new IPEndPoint(IPAddress.Loopback, fixture.Engine.Address.Port);

        var first = await ExchangeAsync(socket, datagram, engine);
        var second = await ExchangeAsync(socket, datagram, engine);

        Assert.Equal(first, second);
        // rtpengine logs "Detected command from 127.0.0.1:<port> as a duplicate" when it answers from its cache.
        var from = $"127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port} as a duplicate";
        await fixture.Engine.WaitForLogAsync(l => l.Contains(from, StringComparison.Ordinal));
        await fixture.Client.DeleteAsync(fixture.Engine.Address, new DeleteRequest(callId, "a1"));
    }

    [Fact]
    public async Task An_unreachable_ng_address_times_out_after_the_configured_attempts()
    {
        var timeout = TimeSpan.FromMilliseconds(150);
        using var client = new NgClient(new NgRetry(timeout, 3), TimeProvider.System, NullLogger<NgClient>.Instance);
        var nobody = new NgAddress("127.0.0.1", FreePorts.Next());
        var started = TimeProvider.System.GetTimestamp();
        var e = await Assert.ThrowsAsync<NgTimeoutException>(() => client.OfferAsync(nobody, new OfferRequest("c", "a1", "v=0\r\n")));
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        Assert.Equal((3, nobody, "offer"), (e.Attempts, e.Address, e.Command));
        Assert.InRange(elapsed, timeout * 3 - TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));
        Assert.Equal(0, client.InFlight);
    }

    private static async Task<byte[]> ExchangeAsync(Socket socket, byte[] datagram, IPEndPoint engine)
    {
        await socket.SendToAsync(datagram, engine);
        var buffer = new byte[65_535];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return buffer[..n];
    }
}
