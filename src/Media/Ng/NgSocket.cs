using System.Net;
using System.Net.Sockets;

namespace CallControl.Media.Ng;

/// <summary>
/// One UDP socket of one address family shared by every command in flight, and its receive loop: each reply goes to
/// <see cref="_onReply"/> with its source. Receive errors are logged and the loop goes on; it ends when disposed.
/// </summary>
internal sealed class NgSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly Action<IPEndPoint, ReadOnlyMemory<byte>> _onReply;
    private readonly Action<SocketException> _onError;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public NgSocket(AddressFamily family, Action<IPEndPoint, ReadOnlyMemory<byte>> onReply, Action<SocketException> onError)
    {
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _onReply = onReply;
        _onError = onError;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint target, CancellationToken cancellationToken) =>
        _socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken);

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[NgDatagram.MaxSize];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
                _onReply((IPEndPoint)received.RemoteEndPoint, buffer.AsMemory(0, received.ReceivedBytes));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // ICMP errors surface here on some platforms; the command that caused it times out on its own.
                _onError(e);
            }
        }
    }
}
