using System.Net;
using System.Net.Sockets;
using System.Text;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Sip.Tests.Transport;

/// <summary>
/// The UDP transport on real loopback sockets, and its receive queue: what the kernel holds is taken in at once, and
/// the messages of calls in progress are handed on before new INVITEs that arrived ahead of them.
/// </summary>
public sealed class UdpTransportTests
{
    [Fact]
    public async Task Datagrams_waiting_in_the_kernel_are_handed_on_with_responses_and_in_dialog_requests_before_INVITEs()
    {
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, NullLogger<UdpTransport>.Instance, inviteWaitBound: TimeSpan.FromHours(1));
        transport.Bind();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string[] sent =
        [
            TestMessages.Invite(callId: "new-1"),
            TestMessages.Invite(callId: "new-2"),
            TestMessages.Response(180),
            TestMessages.Request("BYE"),
            TestMessages.Invite(callId: "new-3"),
        ];
        foreach (var message in sent)
        {
            // Loopback delivers each datagram into the transport's socket before SendTo returns: all five wait there.
            await peer.SendToAsync(TestMessages.Bytes(message), transport.LocalEndPoint);
        }

        var sink = new ChannelSink();
        transport.Start(sink);
        var received = new List<(string FirstLine, string CallId, TimeSpan Waited)>();
        for (var i = 0; i < sent.Length; i++)
        {
            var (message, source, waited) = await sink.NextAsync();
            var parsed = TestMessages.Parse(Encoding.UTF8.GetString(message.Span));
            Assert.Equal(peer.LocalEndPoint, source.Address);
            received.Add((Encoding.ASCII.GetString(message.Span)[..12], parsed.CallId, waited));
        }

        Assert.Equal(["SIP/2.0 180 ", "BYE sip:bob@", "INVITE sip:b", "INVITE sip:b", "INVITE sip:b"], received.Select(r => r.FirstLine));
        Assert.Equal(["new-1", "new-2", "new-3"], received.Skip(2).Select(r => r.CallId)); // first come, first served among INVITEs
        Assert.True(received[2].Waited >= received[0].Waited, $"the first INVITE was taken first and handed on later: {received[2].Waited} < {received[0].Waited}");
    }

    [Fact]
    public async Task A_datagram_its_screen_refuses_never_reaches_the_sink()
    {
        await using var transport = new UdpTransport(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, NullLogger<UdpTransport>.Instance, inviteWaitBound: TimeSpan.FromHours(1));
        var screen = new RecordingPacketScreen();
        var sink = new ChannelSink();
        transport.Start(sink, screen);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // One kind of message, so the receive queue keeps their order: each refused one sits between two accepted ones.
        foreach (var callId in new[] { "drop-1", "keep-1", "cut-1", "drop-2", "keep-2" })
        {
            await peer.SendToAsync(TestMessages.Bytes(TestMessages.Request("OPTIONS", callId: callId, toTag: "")), transport.LocalEndPoint);
        }

        var first = await sink.NextAsync();
        var second = await sink.NextAsync();

        Assert.Equal(["keep-1", "keep-2"], new[] { first, second }.Select(m => RecordingPacketScreen.CallIdOf(m.Message.Span)));
        Assert.Equal(["drop-1", "keep-1", "cut-1", "drop-2", "keep-2"], screen.Screened.Select(s => s.CallId));
        Assert.All(screen.Screened, s => Assert.Equal(new SipEndPoint(SipTransportKind.Udp, (IPEndPoint)peer.LocalEndPoint!), s.Source));
    }

    [Fact]
    public void The_receive_queue_serves_others_first_and_drops_what_finds_its_kind_full()
    {
        var queue = new ReceiveQueue(capacityPerQueue: 2, inviteWaitBound: TimeSpan.FromHours(1));
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
        byte[] Datagram(string text) => Encoding.ASCII.GetBytes(text);

        Assert.True(queue.TryAdd(Datagram("INVITE 1"), source));
        Assert.True(queue.TryAdd(Datagram("INVITE 2"), source));
        Assert.False(queue.TryAdd(Datagram("INVITE 3"), source)); // the INVITEs' queue is full...
        Assert.True(queue.TryAdd(Datagram("ACK 1"), source));     // ...the others' is not
        Assert.True(queue.TryAdd(Datagram("SIP/2.0 200 OK"), source));
        Assert.False(queue.TryAdd(Datagram("BYE 1"), source));

        var order = new List<string>();
        while (queue.TryTake(out var next, out var waited))
        {
            Assert.True(waited >= TimeSpan.Zero);
            order.Add(Encoding.ASCII.GetString(next.Message));
        }

        Assert.Equal(["ACK 1", "SIP/2.0 200 OK", "INVITE 1", "INVITE 2"], order);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void An_INVITE_that_waited_past_the_bound_goes_ahead_of_the_others()
    {
        // A bound below zero has passed for every INVITE the moment it is queued: the oldest datagram goes first.
        var queue = new ReceiveQueue(capacityPerQueue: 8, inviteWaitBound: TimeSpan.FromTicks(-1));
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
        queue.TryAdd(Encoding.ASCII.GetBytes("INVITE 1"), source);
        queue.TryAdd(Encoding.ASCII.GetBytes("ACK 1"), source);
        queue.TryAdd(Encoding.ASCII.GetBytes("INVITE 2"), source);

        var order = new List<string>();
        while (queue.TryTake(out var next, out _))
        {
            order.Add(Encoding.ASCII.GetString(next.Message));
        }

        Assert.Equal(["INVITE 1", "INVITE 2", "ACK 1"], order);
    }

    [Theory]
    [InlineData("INVITE sip:bob@example.com SIP/2.0\r\n", true)]
    [InlineData("invite sip:bob@example.com SIP/2.0\r\n", false)] // methods are case-sensitive (RFC 3261 §7.1): not an INVITE
    [InlineData("INVITEX sip:bob@example.com SIP/2.0\r\n", false)]
    [InlineData("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n", false)]
    [InlineData("INVITE", false)]
    [InlineData("", false)]
    [InlineData("REGISTER sip:example.com SIP/2.0\r\n", true)] // a flood of registrations waits with the new calls
    [InlineData("OPTIONS sip:example.com SIP/2.0\r\n", false)] // probes stay prompt: the balancer's health check
    public void New_work_is_known_by_its_first_bytes(string datagram, bool isNewWork)
        => Assert.Equal(isNewWork, ReceiveQueue.IsNewWork(Encoding.ASCII.GetBytes(datagram)));
}
