using System.Net;
using System.Net.Security;
using System.Net.WebSockets;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A browser-like SIP client over WebSocket (RFC 7118) with .NET's <see cref="ClientWebSocket"/>: subprotocol sip, one
/// SIP message per WebSocket message, and a Via and Contact under a random <c>.invalid</c> host, as JsSIP and SIP.js
/// write them, so the node can reach it only over this connection.
/// </summary>
internal sealed class WebSocketPhone : ISipPhone, IAsyncDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(20);
    private static int _next;
    private readonly ClientWebSocket _socket;

    private WebSocketPhone(ClientWebSocket socket, bool secure)
    {
        _socket = socket;
        Transport = secure ? "wss" : "ws";
        LocalPort = 40_000 + Interlocked.Increment(ref _next); // no port of its own to show: a number for Call-IDs
        SentBy = $"{Guid.NewGuid():N}"[..12] + ".invalid";
    }

    public int LocalPort { get; }

    public string Transport { get; }

    /// <inheritdoc />
    public string SentBy { get; }

    /// <summary>Opens a connection to the node's WS or WSS port; throws <see cref="WebSocketException"/> when refused.</summary>
    public static async Task<WebSocketPhone> ConnectAsync(int port, bool secure, string? origin = null, string subProtocol = "sip")
    {
        var socket = Client(origin, subProtocol);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(Uri(port, secure), timeout.Token);
            return new WebSocketPhone(socket, secure);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A handshake that is expected to fail: the HTTP status the node answered (0 when the connection was dropped).</summary>
    public static async Task<HttpStatusCode> RefusedHandshakeAsync(int port, bool secure, string? origin, string? subProtocol)
    {
        using var socket = Client(origin, subProtocol);
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Uri(port, secure), timeout.Token));
        return socket.HttpStatusCode;
    }

    public async Task SendAsync(byte[] message) => await SendAsync(message, WebSocketMessageType.Text);

    public async Task SendAsync(byte[] message, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        await _socket.SendAsync(message, type, endOfMessage: true, timeout.Token);
    }

    public async Task<SipMessage> ReceiveMessageAsync()
    {
        var (type, bytes) = await ReceiveAsync();
        if (type == WebSocketMessageType.Close)
        {
            throw new IOException($"The node closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        }

        return SipParser.ParseTrusted(bytes);
    }

    /// <summary>The next WebSocket message, whole, within 20 s.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Bytes)> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage || received.MessageType == WebSocketMessageType.Close)
            {
                return (received.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>How the node closed the connection, once it has.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Closes with the close handshake (the node has seen the close when this returns).</summary>
    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Uri Uri(int port, bool secure) => new($"{(secure ? "wss" : "ws")}://127.0.0.1:{port}/");

    private static ClientWebSocket Client(string? origin, string? subProtocol)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        // The node's certificate is self-signed: its name must still be 127.0.0.1 (as StreamPeer checks).
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => certificate is not null && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
        return socket;
    }
}
