using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using CallControl.Edge.WebSockets;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Edge.Tests.WebSockets;

/// <summary>The WebSocket transport on loopback with .NET's own client: framing both ways, and what it refuses.</summary>
public sealed class WebSocketTransportTests : IAsyncLifetime
{
    private readonly Sink _sink = new();
    private WebSocketTransport _transport = null!;

    public Task InitializeAsync()
    {
        var options = new EdgeWebSocketOptions { MaxMessageBytes = 2048, AllowedOrigins = ["https://app.example.com"] };
        _transport = new WebSocketTransport(new IPEndPoint(IPAddress.Loopback, 0), options, null, TimeProvider.System, NullLoggerFactory.Instance);
        _transport.Start(_sink);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _transport.DisposeAsync();

    [Fact]
    public async Task Text_and_binary_messages_each_reach_the_stack_whole_and_a_reply_goes_back_as_text_over_the_connection()
    {
        using var client = await ConnectAsync("https://app.example.com");
        Assert.Equal("sip", client.SubProtocol);

        await client.SendAsync("OPTIONS sip:a@b SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Text, true, default);
        await client.SendAsync("REGISTER"u8.ToArray(), WebSocketMessageType.Binary, false, default);
        await client.SendAsync(" sip:b SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Binary, true, default);
        var (first, source) = await _sink.ReadAsync();
        var (second, _) = await _sink.ReadAsync();
        Assert.Equal("OPTIONS sip:a@b SIP/2.0\r\n\r\n", first);
        Assert.Equal("REGISTER sip:b SIP/2.0\r\n\r\n", second);
        Assert.Equal(SipTransportKind.Ws, source.Transport);
        Assert.NotEqual(0, source.ConnectionId);

        _transport.Send(source, "SIP/2.0 200 OK\r\n\r\n"u8.ToArray());
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await client.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, received.MessageType);
        Assert.Equal("SIP/2.0 200 OK\r\n\r\n", Encoding.UTF8.GetString(buffer, 0, received.Count));
    }

    [Fact]
    public async Task A_message_past_the_limit_closes_the_connection_with_1009_and_the_next_client_is_served()
    {
        using var client = await ConnectAsync("https://app.example.com");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.SendAsync(new byte[3000], WebSocketMessageType.Binary, true, timeout.Token);
        var received = await client.ReceiveAsync(new byte[64], timeout.Token);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
        using var next = await ConnectAsync("https://app.example.com");
        await next.SendAsync("OPTIONS sip:a@b SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        Assert.Equal("OPTIONS sip:a@b SIP/2.0\r\n\r\n", (await _sink.ReadAsync()).Message);
    }

    [Theory]
    [InlineData("chat", "https://app.example.com", HttpStatusCode.BadRequest)]
    [InlineData("sip", "https://evil.example", HttpStatusCode.Forbidden)]
    public async Task A_handshake_without_sip_or_from_another_origin_is_refused(string protocol, string origin, HttpStatusCode status)
    {
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol(protocol);
        client.Options.SetRequestHeader("Origin", origin);
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(Uri(), default));
        Assert.Equal(status, client.HttpStatusCode);
    }

    [Fact]
    public void A_message_for_a_connection_that_is_gone_fails_at_once()
    {
        SipEndPoint? failed = null;
        _transport.SendFailed += destination => failed = destination;
        var gone = new SipEndPoint(SipTransportKind.Ws, new IPEndPoint(IPAddress.Loopback, 40000), 999);

        _transport.Send(gone, "OPTIONS"u8.ToArray());
        Assert.Equal(gone, failed);
    }

    [Fact]
    public async Task The_border_screens_a_websocket_as_any_transport_its_connection_before_the_handshake_and_each_message()
    {
        var screen = new StubScreen();
        var sink = new Sink();
        await using var transport = new WebSocketTransport(new IPEndPoint(IPAddress.Loopback, 0), new EdgeWebSocketOptions(), null, TimeProvider.System, NullLoggerFactory.Instance);
        transport.Start(sink, screen);
        var uri = new Uri($"ws://127.0.0.1:{transport.LocalEndPoint.Port}/");

        screen.Connections = ScreenVerdict.Disconnect; // a banned or denied source: dropped before any HTTP
        using (var refused = new ClientWebSocket())
        {
            refused.Options.AddSubProtocol("sip");
            await Assert.ThrowsAsync<WebSocketException>(() => refused.ConnectAsync(uri, default));
        }

        screen.Connections = ScreenVerdict.Accept;
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("sip");
        await client.ConnectAsync(uri, default);
        // The screen judges by what it is shown, as the border does by source and kind: "dropped" is over its rate limit
        // (dropped unparsed), "banned" comes from a source banned meanwhile (its connection closed with 1008).
        await client.SendAsync("OPTIONS sip:dropped SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Text, true, default);
        await client.SendAsync("OPTIONS sip:kept SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Text, true, default);
        Assert.Equal("OPTIONS sip:kept SIP/2.0\r\n\r\n", (await sink.ReadAsync()).Message);

        await client.SendAsync("OPTIONS sip:banned SIP/2.0\r\n\r\n"u8.ToArray(), WebSocketMessageType.Text, true, default);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketMessageType.Close, (await client.ReceiveAsync(new byte[64], timeout.Token)).MessageType);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, client.CloseStatus);
        Assert.Equal(2, screen.Screened); // both refused and accepted connections were screened
    }

    private Uri Uri() => new($"ws://127.0.0.1:{_transport.LocalEndPoint.Port}/");

    private sealed class StubScreen : IPacketScreen
    {
        private int _screened;

        public ScreenVerdict Connections { get; set; }

        public int Screened => Volatile.Read(ref _screened);

        public ScreenVerdict Screen(ReadOnlySpan<byte> message, SipEndPoint source)
            => message.IndexOf("dropped"u8) >= 0 ? ScreenVerdict.Drop : message.IndexOf("banned"u8) >= 0 ? ScreenVerdict.Disconnect : ScreenVerdict.Accept;

        public ScreenVerdict ScreenConnection(IPEndPoint remote)
        {
            Interlocked.Increment(ref _screened);
            return Connections;
        }

        public void ConnectionClosed(IPEndPoint remote)
        {
        }
    }

    private async Task<ClientWebSocket> ConnectAsync(string origin)
    {
        var client = new ClientWebSocket();
        client.Options.AddSubProtocol("sip");
        client.Options.SetRequestHeader("Origin", origin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(Uri(), timeout.Token);
        return client;
    }

    private sealed class Sink : ISipMessageSink
    {
        private readonly Channel<(string Message, SipEndPoint Source)> _messages = Channel.CreateUnbounded<(string, SipEndPoint)>();

        public void OnMessage(ReadOnlyMemory<byte> message, SipEndPoint source, TimeSpan waited)
            => _messages.Writer.TryWrite((Encoding.UTF8.GetString(message.Span), source));

        public async Task<(string Message, SipEndPoint Source)> ReadAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _messages.Reader.ReadAsync(timeout.Token);
        }
    }
}
