using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18): accepts connections, frames each by Content-Length, and sends over the
/// connection a message names, an open one to the same address, or a new one it opens (§18.1.1).
/// </summary>
public sealed partial class TcpTransport : ISipTransport
{
    private readonly IPEndPoint _bind;
    private readonly int _maxConnections;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, TcpConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _byRemote = new();
    private readonly ConcurrentDictionary<IPEndPoint, Task<TcpConnection?>> _connecting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private Socket? _listener;
    private ISipMessageSink? _sink;
    private long _nextId;

    /// <summary>Creates the transport; nothing is bound until <see cref="Start"/>.</summary>
    public TcpTransport(IPEndPoint bind, int maxConnections, ILogger<TcpTransport> logger)
    {
        _bind = bind;
        _maxConnections = maxConnections;
        _logger = logger;
        LocalEndPoint = bind;
    }

    /// <inheritdoc />
    public SipTransportKind Kind => SipTransportKind.Tcp;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>Open connections, inbound and outbound.</summary>
    public int ConnectionCount => _connections.Count;

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <inheritdoc />
    public void Bind()
    {
        if (_listener is not null)
        {
            return;
        }

        var listener = new Socket(_bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(_bind);
        listener.Listen(512);
        _listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
    }

    /// <inheritdoc />
    public void Start(ISipMessageSink sink)
    {
        _sink = sink;
        Bind();
        lock (_running)
        {
            _running.Add(AcceptLoopAsync(_listener!, _stopping.Token));
        }
    }

    /// <inheritdoc />
    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        if (destination.ConnectionId != 0 && _connections.TryGetValue(destination.ConnectionId, out var byId) && byId.TrySend(message))
        {
            return;
        }

        if (_byRemote.TryGetValue(destination.Address, out var existing) && existing.TrySend(message))
        {
            return;
        }

        _ = ConnectAndSendAsync(destination, message);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener?.Dispose();
        foreach (var connection in _connections.Values)
        {
            await connection.DisposeAsync();
        }

        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task ConnectAndSendAsync(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        // Concurrent sends to the same address share one connection attempt.
        var connecting = _connecting.GetOrAdd(destination.Address, ConnectAsync);
        var connection = await connecting.ConfigureAwait(false);
        _connecting.TryRemove(new KeyValuePair<IPEndPoint, Task<TcpConnection?>>(destination.Address, connecting));
        if (connection is null || !connection.TrySend(message))
        {
            SendFailed?.Invoke(destination);
        }
    }

    private async Task<TcpConnection?> ConnectAsync(IPEndPoint remote)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
            return Track(socket);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Log.ConnectFailed(_logger, remote, e.Message);
            socket.Dispose();
            return null;
        }
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.AcceptFailed(_logger, e.SocketErrorCode);
                continue;
            }

            if (_connections.Count >= _maxConnections)
            {
                Log.ConnectionLimit(_logger, _maxConnections);
                socket.Dispose();
                continue;
            }

            Track(socket);
        }
    }

    private TcpConnection Track(Socket socket)
    {
        var connection = new TcpConnection(Interlocked.Increment(ref _nextId), socket);
        _connections[connection.Id] = connection;
        _byRemote[connection.Remote] = connection;
        Log.Connected(_logger, connection.Id, connection.Remote);
        var run = RunConnectionAsync(connection);
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(run);
        }

        return connection;
    }

    private async Task RunConnectionAsync(TcpConnection connection)
    {
        try
        {
            await connection.RunAsync((message, source) => _sink!.OnMessage(message, source), _stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            _byRemote.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
            await connection.DisposeAsync().ConfigureAwait(false);
            Log.Disconnected(_logger, connection.Id, connection.Remote);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "TCP connection {ConnectionId} with {Remote} open")]
        public static partial void Connected(ILogger logger, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "TCP connection {ConnectionId} with {Remote} closed")]
        public static partial void Disconnected(ILogger logger, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "TCP connect to {Remote} failed: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, IPEndPoint remote, string reason);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "TCP accept failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "TCP connection refused: the limit of {Limit} connections is reached")]
        public static partial void ConnectionLimit(ILogger logger, int limit);
    }
}
