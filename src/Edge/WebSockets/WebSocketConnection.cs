using System.Net;
using System.Net.WebSockets;
using System.Text.Unicode;
using System.Threading.Channels;
using CallControl.Sip.Transport;

namespace CallControl.Edge.WebSockets;

/// <summary>
/// One SIP WebSocket connection (RFC 7118): a receive loop that joins each WebSocket message (text or binary) into one
/// SIP message within the size limit, and a single-reader channel that serialises what is sent, one SIP message per
/// WebSocket message.
/// </summary>
internal sealed class WebSocketConnection : IDisposable
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();

    // Enough for most SIP messages in one receive, small enough that thousands of idle connections cost little.
    private const int ReceiveBufferBytes = 4096;

    private readonly WebSocket _socket;
    private readonly TimeProvider _time;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound =
        Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closing = new();
    private long _lastActivity;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    public WebSocketConnection(long id, WebSocket socket, SipTransportKind kind, IPEndPoint remote, TimeProvider time)
    {
        Id = id;
        Remote = remote;
        Source = new SipEndPoint(kind, remote, id);
        _socket = socket;
        _time = time;
        _lastActivity = time.GetTimestamp();
    }

    public long Id { get; }

    public IPEndPoint Remote { get; }

    /// <summary>Where its messages come from, as the stack and the border see it: transport, address, connection.</summary>
    public SipEndPoint Source { get; }

    /// <summary>How long since a SIP message (or keep-alive) was read or written; WebSocket pings do not count.</summary>
    public TimeSpan Idle => _time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Queues a message; false when closing or the queue is full.</summary>
    public bool TrySend(ReadOnlyMemory<byte> message) => !_closing.IsCancellationRequested && _outbound.Writer.TryWrite(message);

    /// <summary>Asks the connection to close with <paramref name="status"/>; the loops end.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        _closeStatus = status;
        _closeReason = reason;
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended already (an idle sweep that raced its end).
        }
    }

    public void Dispose() => _closing.Dispose();

    /// <summary>
    /// Runs both loops until the peer closes, a message is refused, or the connection is closed; <paramref name="onMessage"/>
    /// gets each SIP message and returns false to close the connection (the screen refused its source). Returns why it ended.
    /// </summary>
    public async Task<ConnectionEnd> RunAsync(int maxMessageBytes, Func<ReadOnlyMemory<byte>, SipEndPoint, bool> onMessage, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var send = SendLoopAsync(linked.Token);
        ConnectionEnd end;
        try
        {
            end = await ReceiveLoopAsync(maxMessageBytes, onMessage, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            end = ConnectionEnd.Closed; // the peer went away, or we are closing: both end it the same way
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        _outbound.Writer.TryComplete();
        await send.ConfigureAwait(false);
        await CloseSocketAsync(end).ConfigureAwait(false);
        return end;
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private async Task<ConnectionEnd> ReceiveLoopAsync(int maxMessageBytes, Func<ReadOnlyMemory<byte>, SipEndPoint, bool> onMessage, CancellationToken cancellationToken)
    {
        var assembler = new MessageAssembler(maxMessageBytes);
        var buffer = new byte[ReceiveBufferBytes];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return ConnectionEnd.Closed;
            }

            var status = assembler.Append(buffer.AsSpan(0, received.Count), received.EndOfMessage, out var message);
            if (status == AssemblyStatus.TooBig)
            {
                return ConnectionEnd.TooBig;
            }

            if (status == AssemblyStatus.NeedMore)
            {
                continue;
            }

            Touch();
            switch (MessageAssembler.Classify(message))
            {
                case MessageKind.Ping:
                    TrySend(Pong); // SIP.js's keep-alive over WebSocket (RFC 5626 §4.4.1's ping and pong)
                    break;
                case MessageKind.Sip when !onMessage(message, Source):
                    return ConnectionEnd.Refused;
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // RFC 7118 §5.1: text or binary; text when the message is valid UTF-8 (every browser client reads it as a
                // string), binary for a body that is not.
                var type = Utf8.IsValid(message.Span) ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
                await _socket.SendAsync(message, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                Touch();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            _closing.Cancel(); // ends the receive loop too
        }
    }

    // The close handshake, bounded: the status says why (1009 for a message too big, 1008 for a refused source). After an
    // oversized message the client may still be sending it: what arrives is read and thrown away, a little at a time and
    // for two seconds at most, so the close frame reaches the client before the TCP connection goes, not a reset.
    private async Task CloseSocketAsync(ConnectionEnd end)
    {
        var (status, reason) = end switch
        {
            ConnectionEnd.TooBig => (WebSocketCloseStatus.MessageTooBig, "SIP message too big"),
            ConnectionEnd.Refused => (WebSocketCloseStatus.PolicyViolation, "refused"),
            _ => (_closeStatus, _closeReason),
        };
        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(status, reason, bounded.Token).ConfigureAwait(false);
            }

            var discard = new byte[ReceiveBufferBytes];
            while (_socket.State == WebSocketState.CloseSent)
            {
                var received = await _socket.ReceiveAsync(discard.AsMemory(), bounded.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // Gone, or too slow to say goodbye: the connection is dropped all the same.
        }
        finally
        {
            _socket.Abort();
            _socket.Dispose();
        }
    }
}

/// <summary>How a connection ended.</summary>
internal enum ConnectionEnd
{
    /// <summary>The peer closed it, it failed, or the edge closed it (idle, stopping).</summary>
    Closed,

    /// <summary>A message passed the size limit: closed with 1009.</summary>
    TooBig,

    /// <summary>The border refused its source (a ban): closed with 1008.</summary>
    Refused,
}
