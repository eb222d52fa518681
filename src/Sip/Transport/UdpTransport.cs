using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket that receives datagrams and sends to any address.
/// </summary>
public sealed partial class UdpTransport : ISipTransport
{
    private readonly IPEndPoint _bind;
    private readonly int _socketBufferBytes;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _receiveLoop;

    /// <summary>Creates the transport; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="socketBufferBytes">Kernel send and receive buffer size: large, so bursts are queued rather than dropped.</param>
    /// <param name="logger">Where receive and send errors go.</param>
    public UdpTransport(IPEndPoint bind, int socketBufferBytes, ILogger<UdpTransport> logger)
    {
        _bind = bind;
        _socketBufferBytes = socketBufferBytes;
        _logger = logger;
        LocalEndPoint = bind;
    }

    /// <inheritdoc />
    public SipTransportKind Kind => SipTransportKind.Udp;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <inheritdoc />
    public void Bind()
    {
        if (_socket is not null)
        {
            return;
        }

        var socket = new Socket(_bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = _socketBufferBytes;
        socket.SendBufferSize = _socketBufferBytes;
        socket.Bind(_bind);
        _socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <inheritdoc />
    public void Start(ISipMessageSink sink)
    {
        Bind();
        _receiveLoop = ReceiveLoopAsync(_socket!, sink, _stopping.Token);
    }

    /// <inheritdoc />
    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        try
        {
            _socket?.SendTo(message.Span, SocketFlags.None, destination.Address);
        }
        catch (SocketException e)
        {
            Log.SendFailed(_logger, destination, e.SocketErrorCode);
            SendFailed?.Invoke(destination);
        }
        catch (ObjectDisposedException)
        {
            // Stopping: nothing more goes out.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket?.Dispose();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task ReceiveLoopAsync(Socket socket, ISipMessageSink sink, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        var address = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send, or an oversized datagram: this datagram is lost, the socket is fine.
                Log.ReceiveSkipped(_logger, e.SocketErrorCode);
                continue;
            }
            catch (SocketException e)
            {
                Log.ReceiveFailed(_logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            // The sink owns what it is given; the receive buffer is reused for the next datagram.
            var message = buffer.AsSpan(0, received).ToArray();
            var source = (IPEndPoint)template.Create(address);
            sink.OnMessage(message, new SipEndPoint(SipTransportKind.Udp, source));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "UDP send to {Destination} failed: {Error}")]
        public static partial void SendFailed(ILogger logger, SipEndPoint destination, SocketError error);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "UDP receive skipped a datagram: {Error}")]
        public static partial void ReceiveSkipped(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "UDP receive failed; retrying")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception);
    }
}
