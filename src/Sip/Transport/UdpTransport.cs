using System.Net;
using System.Net.Sockets;
using CallControl.Sip.Stack;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one socket that receives datagrams and sends to any address.
/// </summary>
public sealed partial class UdpTransport : ISipTransport
{
    /// <summary>
    /// Datagrams of each kind (<see cref="ReceiveQueue"/>) that may wait in the process: about what the default 4 MiB
    /// kernel buffer holds, and far more than admission control lets wait (it refuses new calls after milliseconds).
    /// </summary>
    internal const int QueueCapacity = 8192;

    private readonly IPEndPoint _bind;
    private readonly int _socketBufferBytes;
    private readonly TimeSpan _inviteWaitBound;
    private readonly ILogger _logger;
    private readonly Stack.SipMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _receiveLoop;
    private IPacketScreen? _screen;

    /// <summary>Creates the transport; nothing is bound until <see cref="Start"/>.</summary>
    /// <param name="bind">Address and port to listen on.</param>
    /// <param name="socketBufferBytes">Kernel send and receive buffer size: large, so bursts are queued rather than dropped.</param>
    /// <param name="logger">Where receive and send errors go.</param>
    /// <param name="inviteWaitBound">How long an INVITE waits at most behind other messages (<see cref="ReceiveQueue"/>):
    /// the edge passes its admission target for the receive queue.</param>
    /// <param name="metrics">Where dropped datagrams are counted; none: not counted.</param>
    public UdpTransport(IPEndPoint bind, int socketBufferBytes, ILogger<UdpTransport> logger, TimeSpan inviteWaitBound, Stack.SipMetrics? metrics = null)
    {
        _metrics = metrics;
        _bind = bind;
        _socketBufferBytes = socketBufferBytes;
        _inviteWaitBound = inviteWaitBound;
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
    public void Start(ISipMessageSink sink, IPacketScreen? screen = null)
    {
        _screen = screen;
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

    /// <summary>
    /// Receives and hands on, one datagram at a time, on one thread. Before handing on the next datagram the loop takes
    /// everything else the kernel holds into its <see cref="ReceiveQueue"/>, without waiting: the kernel's queue stays
    /// short, so a datagram's wait is counted from when it arrived (give or take one datagram's handling), and the
    /// messages of calls in progress are handed on before new INVITEs that arrived ahead of them.
    /// </summary>
    private async Task ReceiveLoopAsync(Socket socket, ISipMessageSink sink, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        var address = new SocketAddress(socket.AddressFamily);
        var template = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var queue = new ReceiveQueue(QueueCapacity, _inviteWaitBound);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (queue.Count == 0)
            {
                int received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, address, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException e)
                {
                    await OnReceiveErrorAsync(e).ConfigureAwait(false);
                    continue;
                }

                Add(queue, buffer, received, address, template);
            }

            if (!TakeAvailable(socket, queue, buffer, address, template))
            {
                return;
            }

            if (queue.TryTake(out var next, out var waited))
            {
                sink.OnMessage(next.Message, next.Source, waited);
            }
        }
    }

    // What the kernel holds now, without blocking, up to one queue's worth a turn (so that a flood faster than the
    // loop can take datagrams in still lets it hand some on); false once the socket is closed.
    private bool TakeAvailable(Socket socket, ReceiveQueue queue, byte[] buffer, SocketAddress address, IPEndPoint template)
    {
        try
        {
            for (var taken = 0; taken < QueueCapacity && socket.Available > 0; taken++)
            {
                Add(queue, buffer, socket.ReceiveFrom(buffer, SocketFlags.None, address), address, template);
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException e)
        {
            LogReceiveError(e); // the datagram is lost; the next turn of the loop takes the rest, and waits out a failing socket
        }

        return true;
    }

    private void Add(ReceiveQueue queue, byte[] buffer, int received, SocketAddress address, IPEndPoint template)
    {
        // The queue owns a copy; the receive buffer is reused for the next datagram.
        var source = new SipEndPoint(SipTransportKind.Udp, (IPEndPoint)template.Create(address));
        if (_screen is { } screen && screen.Screen(buffer.AsSpan(0, received), source) != ScreenVerdict.Accept)
        {
            return; // judged by its source before it costs a copy, a queue slot or a parse
        }

        if (!queue.TryAdd(buffer.AsSpan(0, received).ToArray(), source))
        {
            _metrics?.Dropped("udp");
            Log.QueueFull(_logger, source, QueueCapacity);
        }
    }

    private async Task OnReceiveErrorAsync(SocketException e)
    {
        if (!LogReceiveError(e))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
        }
    }

    // Logs a failed receive; true when only that datagram was lost (an ICMP error for an earlier send, or an oversized
    // datagram) and the socket is fine.
    private bool LogReceiveError(SocketException e)
    {
        if (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
        {
            Log.ReceiveSkipped(_logger, e.SocketErrorCode);
            return true;
        }

        Log.ReceiveFailed(_logger, e);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "UDP send to {Destination} failed: {Error}")]
        public static partial void SendFailed(ILogger logger, SipEndPoint destination, SocketError error);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "UDP receive skipped a datagram: {Error}")]
        public static partial void ReceiveSkipped(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "UDP receive failed; retrying")]
        public static partial void ReceiveFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "UDP receive queue full ({Capacity} datagrams of its kind waiting): dropped a datagram from {Source}")]
        public static partial void QueueFull(ILogger logger, SipEndPoint source, int capacity);
    }
}
