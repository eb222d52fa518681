using System.Net;
using System.Net.Sockets;

namespace CallControl.Media.Ng;

/// <summary>
/// One UDP socket of one address family shared by every command in flight, and its receive loop: each reply goes to
/// <see cref="_onReply"/> with its source. Receive errors are logged and the loop goes on; it ends when disposed.
/// </summary>
/// <remarks>
/// The loop is a thread of its own, blocked in <c>recvfrom</c>, not a thread-pool task: on a busy silo (a burst of
/// calls on two cores, the JIT warming up) the pool can be short of threads for seconds, and replies that sat unread
/// that long timed out commands rtpengine had carried out (the session leaked, the call failed). Matching a reply to
/// its command is cheap; what the command's caller does next runs on its own scheduler.
/// </remarks>
internal sealed class NgSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly Action<IPEndPoint, ReadOnlyMemory<byte>> _onReply;
    private readonly Action<SocketException> _onError;
    private readonly Thread _loop;
    private volatile bool _stopping;

    public NgSocket(AddressFamily family, Action<IPEndPoint, ReadOnlyMemory<byte>> onReply, Action<SocketException> onError)
    {
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _onReply = onReply;
        _onError = onError;
        _loop = new Thread(ReceiveLoop) { IsBackground = true, Name = $"ng-receive-{family}" };
        _loop.Start();
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint target, CancellationToken cancellationToken) =>
        _socket.SendToAsync(datagram, SocketFlags.None, target, cancellationToken);

    /// <summary>Closes the socket, which ends the loop's blocked receive; safe to call again.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _socket.Dispose();
        _loop.Join(TimeSpan.FromSeconds(5));
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[NgDatagram.MaxSize];
        EndPoint any = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_stopping)
        {
            try
            {
                var from = any;
                var received = _socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
                _onReply((IPEndPoint)from, buffer.AsMemory(0, received));
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (_stopping)
            {
                return; // the close interrupted the receive
            }
            catch (SocketException e)
            {
                // ICMP errors surface here on some platforms; the command that caused it times out on its own.
                _onError(e);
            }
        }
    }
}
