using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace CallControl.Sip.Transport;

/// <summary>
/// One SIP-over-TCP connection: a receive loop that frames messages off a <see cref="PipeReader"/>, and a
/// single-reader channel that serialises everything written to the socket.
/// </summary>
internal sealed class TcpConnection : IAsyncDisposable
{
    private static readonly ReadOnlyMemory<byte> Pong = "\r\n"u8.ToArray();

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Channel<ReadOnlyMemory<byte>> _outbound =
        Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(4096) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closing = new();

    public TcpConnection(long id, Socket socket)
    {
        Id = id;
        _socket = socket;
        _socket.NoDelay = true;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public long Id { get; }

    public IPEndPoint Remote { get; }

    /// <summary>Queues bytes for the socket; false when the connection is closing or its queue is full.</summary>
    public bool TrySend(ReadOnlyMemory<byte> message) => !_closing.IsCancellationRequested && _outbound.Writer.TryWrite(message);

    /// <summary>Runs both loops until the peer closes, an error occurs, or the connection is disposed.</summary>
    public async Task RunAsync(Action<ReadOnlyMemory<byte>, SipEndPoint> onMessage, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var send = SendLoopAsync(linked.Token);
        try
        {
            await ReceiveLoopAsync(onMessage, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            await _closing.CancelAsync().ConfigureAwait(false);
            _outbound.Writer.TryComplete();
            await send.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync(Action<ReadOnlyMemory<byte>, SipEndPoint> onMessage, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        var source = new SipEndPoint(SipTransportKind.Tcp, Remote, Id);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
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
                        TrySend(Pong);
                    }
                    else if (status == FrameStatus.Message)
                    {
                        onMessage(message, source);
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

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await _stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            await _closing.CancelAsync().ConfigureAwait(false);
            _socket.Dispose(); // unblocks the receive loop
        }
    }
}
