using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace CallControl.Sip.Transport;

/// <summary>
/// One SIP connection over TCP or TLS: an optional handshake, a receive loop that frames messages off a
/// <see cref="PipeReader"/>, and a single-reader channel that serialises everything written to the stream.
/// </summary>
internal sealed class StreamConnection : IAsyncDisposable
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly TimeProvider _time;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound =
        Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closing = new();
    private Stream? _stream;
    private long _lastActivity;

    public StreamConnection(long id, Socket socket, SipTransportKind kind, TimeProvider time)
    {
        Id = id;
        Kind = kind;
        _socket = socket;
        _socket.NoDelay = true;
        _network = new NetworkStream(socket, ownsSocket: true);
        _time = time;
        _lastActivity = time.GetTimestamp();
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public long Id { get; }

    public SipTransportKind Kind { get; }

    public IPEndPoint Remote { get; }

    /// <summary>
    /// For a connection we opened, the host it was opened for: over TLS its SNI and the name the server's certificate
    /// was checked against. Null for a connection we accepted.
    /// </summary>
    public string? TargetHost { get; init; }

    /// <summary>True once any handshake is done and messages can flow.</summary>
    public bool IsEstablished => _stream is not null;

    /// <summary>How long since anything was read or written.</summary>
    public TimeSpan Idle => _time.GetElapsedTime(Interlocked.Read(ref _lastActivity));

    /// <summary>Queues bytes for the stream (sent once any handshake is done); false when closing or the queue is full.</summary>
    public bool TrySend(ReadOnlyMemory<byte> message) => !_closing.IsCancellationRequested && _outbound.Writer.TryWrite(message);

    /// <summary>
    /// Secures the stream (<paramref name="handshake"/>: identity for TCP, a TLS handshake for TLS), then runs
    /// both loops until the peer closes, an error occurs, or the connection is closed.
    /// </summary>
    public async Task RunAsync(Func<Stream, CancellationToken, Task<Stream>> handshake, Func<ReadOnlyMemory<byte>, SipEndPoint, bool> onMessage, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        try
        {
            _stream = await handshake(_network, linked.Token).ConfigureAwait(false);
            Touch(); // idle time counts from a finished handshake, which has its own timeout
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
            await CloseAsync().ConfigureAwait(false);
            throw new IOException($"{Kind} handshake with {Remote} failed: {e.Message}", e);
        }

        var send = SendLoopAsync(_stream, linked.Token);
        try
        {
            await ReceiveLoopAsync(_stream, onMessage, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            await _closing.CancelAsync().ConfigureAwait(false);
            _outbound.Writer.TryComplete();
            await send.ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection; the loops end.</summary>
    public async Task CloseAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        if (_stream is not null && _stream != _network)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        await _network.DisposeAsync().ConfigureAwait(false);
    }

    private void Touch() => Interlocked.Exchange(ref _lastActivity, _time.GetTimestamp());

    private async Task ReceiveLoopAsync(Stream stream, Func<ReadOnlyMemory<byte>, SipEndPoint, bool> onMessage, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var source = new SipEndPoint(Kind, Remote, Id);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                Touch();
                var buffer = result.Buffer;
                while (true)
                {
                    var status = StreamFramer.TryFrame(ref buffer, out var message);
                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameStatus.Invalid)
                    {
                        return; // a stream that cannot be framed cannot be resynchronised: close it
                    }

                    if (status == FrameStatus.Ping)
                    {
                        TrySend(Pong); // RFC 5626 §4.4.1: answer a CRLFCRLF ping with a CRLF pong
                    }
                    else if (status == FrameStatus.Message && !onMessage(message, source))
                    {
                        return; // the screen judged the source: close the connection
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The peer went away or we are closing: both end the connection the same way.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                Touch();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            await CloseAsync().ConfigureAwait(false); // unblocks the receive loop
        }
    }
}
