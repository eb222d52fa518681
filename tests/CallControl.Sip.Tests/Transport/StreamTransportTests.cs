using System.Net;
using System.Net.Sockets;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Sip.Tests.Transport;

/// <summary>The TCP transport on real loopback sockets: the connection limit, replies over the same connection, and its screen.</summary>
public sealed class StreamTransportTests
{
    [Fact]
    public async Task Connections_beyond_the_limit_are_refused_and_the_others_keep_working()
    {
        var sink = new ChannelSink();
        await using var transport = StreamTransport.Tcp(new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions { MaxConnections = 2 }, TimeProvider.System, NullLogger<StreamTransport>.Instance);
        transport.Start(sink);
        var port = transport.LocalEndPoint.Port;
        using var first = new TcpClient();
        using var second = new TcpClient();
        using var third = new TcpClient();
        await first.ConnectAsync(IPAddress.Loopback, port);
        await second.ConnectAsync(IPAddress.Loopback, port);

        // A message from each proves both were accepted before the third arrives.
        var invite = TestMessages.Bytes(TestMessages.Invite());
        await first.GetStream().WriteAsync(invite);
        await second.GetStream().WriteAsync(invite);
        // The two may arrive in either order: take the first client's by its port.
        var received = new[] { await sink.NextAsync(), await sink.NextAsync() };
        var firstPort = ((IPEndPoint)first.Client.LocalEndPoint!).Port;
        var fromFirst = Assert.Single(received, r => r.Source.Address.Port == firstPort);

        await third.ConnectAsync(IPAddress.Loopback, port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await third.GetStream().ReadAsync(new byte[16], timeout.Token);

        Assert.Equal(0, read); // closed by the transport
        Assert.Equal(2, transport.ConnectionCount);

        // A reply to the first goes back over its own connection (RFC 3261 §18.2.2).
        transport.Send(fromFirst.Source, "SIP/2.0 100 Trying\r\n\r\n"u8.ToArray());
        var buffer = new byte[64];
        var got = await first.GetStream().ReadAsync(buffer, timeout.Token);
        Assert.StartsWith("SIP/2.0 100 Trying", System.Text.Encoding.ASCII.GetString(buffer, 0, got), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_its_screen_refuses_is_closed_before_anything_is_read()
    {
        var sink = new ChannelSink();
        var screen = new RecordingPacketScreen { ConnectionVerdict = ScreenVerdict.Disconnect };
        await using var transport = StreamTransport.Tcp(new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), TimeProvider.System, NullLogger<StreamTransport>.Instance);
        transport.Start(sink, screen);
        using var client = new TcpClient(AddressFamily.InterNetwork); // the address the transport sees, not an IPv4-mapped one
        await client.ConnectAsync(IPAddress.Loopback, transport.LocalEndPoint.Port);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await client.GetStream().ReadAsync(new byte[16], timeout.Token);

        Assert.Equal(0, read);
        Assert.Equal(client.Client.LocalEndPoint, Assert.Single(screen.Connections));
        Assert.Empty(screen.Screened);
        Assert.Empty(screen.Closed); // never accepted, so never counted as closed
        Assert.Equal(0, transport.ConnectionCount);
    }

    [Fact]
    public async Task Messages_its_screen_drops_are_skipped_and_a_disconnect_closes_the_connection()
    {
        var sink = new ChannelSink();
        var screen = new RecordingPacketScreen();
        await using var transport = StreamTransport.Tcp(new IPEndPoint(IPAddress.Loopback, 0), new StreamTransportOptions(), TimeProvider.System, NullLogger<StreamTransport>.Instance);
        transport.Start(sink, screen);
        using var client = new TcpClient(AddressFamily.InterNetwork); // the address the transport sees, not an IPv4-mapped one
        await client.ConnectAsync(IPAddress.Loopback, transport.LocalEndPoint.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Options("drop-1"));
        await stream.WriteAsync(Options("keep-1"));
        Assert.Equal("keep-1", RecordingPacketScreen.CallIdOf((await sink.NextAsync()).Message.Span)); // the drop left the connection open
        await stream.WriteAsync(Options("cut-1"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await stream.ReadAsync(new byte[16], timeout.Token));
        Assert.Equal(["drop-1", "keep-1", "cut-1"], screen.Screened.Select(s => s.CallId));
        var remote = (IPEndPoint)client.Client.LocalEndPoint!;
        Assert.Equal(remote, Assert.Single(screen.Connections));
        while (screen.Closed.IsEmpty && !timeout.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None); // told after the socket closed, on the connection's task
        }

        Assert.Equal(remote, Assert.Single(screen.Closed));

        static byte[] Options(string callId) => TestMessages.Bytes(TestMessages.Request("OPTIONS", callId: callId, toTag: ""));
    }
}
