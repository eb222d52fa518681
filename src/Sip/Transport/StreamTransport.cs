using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace CallControl.Sip.Transport;

/// <summary>
/// SIP over TCP or TLS (RFC 3261 §18, §26.2): accepts connections, frames each by Content-Length, and sends
/// over the connection a message names, an open one to the same address, or a new one (§18.1.1). Counts its
/// connections against a limit and closes idle ones.
/// </summary>
public sealed partial class StreamTransport : ISipTransport
{
    private readonly IPEndPoint _bind;
    private readonly StreamTransportOptions _options;
    private readonly TlsSettings? _tls;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<long, StreamConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, StreamConnection> _byRemote = new();
    private readonly ConcurrentDictionary<(IPEndPoint Address, string? Host), Task<StreamConnection?>> _connecting = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _running = [];
    private Socket? _listener;
    private ITimer? _idleSweep;
    private ISipMessageSink? _sink;
    private IPacketScreen? _screen;
    private long _nextId;

    private StreamTransport(IPEndPoint bind, StreamTransportOptions options, TlsSettings? tls, TimeProvider time, ILogger logger)
    {
        _bind = bind;
        _options = options;
        _tls = tls;
        _time = time;
        _logger = logger;
        LocalEndPoint = bind;
    }

    /// <inheritdoc />
    public SipTransportKind Kind => _tls is null ? SipTransportKind.Tcp : SipTransportKind.Tls;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>Open connections, inbound and outbound.</summary>
    public int ConnectionCount => _connections.Count;

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <summary>SIP over plain TCP.</summary>
    public static StreamTransport Tcp(IPEndPoint bind, StreamTransportOptions options, TimeProvider time, ILogger<StreamTransport> logger)
        => new(bind, options, null, time, logger);

    /// <summary>SIP over TLS with our certificate.</summary>
    public static StreamTransport Tls(IPEndPoint bind, StreamTransportOptions options, TlsSettings tls, TimeProvider time, ILogger<StreamTransport> logger)
        => new(bind, options, tls, time, logger);

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
    public void Start(ISipMessageSink sink, IPacketScreen? screen = null)
    {
        _sink = sink;
        _screen = screen;
        Bind();
        var sweepEvery = _options.IdleTimeout / 4;
        _idleSweep = _time.CreateTimer(_ => CloseIdle(), null, sweepEvery, sweepEvery);
        Track(AcceptLoopAsync(_listener!, _stopping.Token));
    }

    /// <inheritdoc />
    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        if (destination.ConnectionId != 0 && _connections.TryGetValue(destination.ConnectionId, out var byId) && byId.TrySend(message))
        {
            return;
        }

        if (_byRemote.TryGetValue(destination.Address, out var existing) && Serves(existing, destination) && existing.TrySend(message))
        {
            return;
        }

        Track(ConnectAndSendAsync(destination, message));
    }

    // Over TLS, a connection we opened serves the name it was opened for, the one its certificate was checked against,
    // and no other name at the same address. A connection the peer opened serves a destination named by its IP address
    // (a phone's Contact: often reachable no other way), never one named by a host name (a carrier, whose certificate
    // must name it: nobody checked that of a connection made to us).
    private bool Serves(StreamConnection connection, SipEndPoint destination)
        => _tls is null || destination.HostName is not { } name || (connection.TargetHost is { } opened
            ? string.Equals(opened, name, StringComparison.OrdinalIgnoreCase)
            : IPAddress.TryParse(name, out _));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _idleSweep?.Dispose();
        _listener?.Dispose();
        foreach (var connection in _connections.Values)
        {
            await connection.CloseAsync();
        }

        Task[] running;
        lock (_running)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private void CloseIdle()
    {
        foreach (var connection in _connections.Values)
        {
            if (connection.IsEstablished && connection.Idle > _options.IdleTimeout)
            {
                Log.IdleClosed(_logger, connection.Id, connection.Remote, _options.IdleTimeout);
                _ = connection.CloseAsync();
            }
        }
    }

    private async Task ConnectAndSendAsync(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        // Concurrent sends to the same address (over TLS: and name) share one connection attempt.
        var target = (destination.Address, _tls is null ? null : destination.HostName);
        var connecting = _connecting.GetOrAdd(target, ConnectAsync);
        var connection = await connecting.ConfigureAwait(false);
        _connecting.TryRemove(new KeyValuePair<(IPEndPoint, string?), Task<StreamConnection?>>(target, connecting));
        if (connection is null || !connection.TrySend(message))
        {
            SendFailed?.Invoke(destination);
        }
    }

    private async Task<StreamConnection?> ConnectAsync((IPEndPoint Address, string? Host) target)
    {
        var remote = target.Address;
        if (_connections.Count >= _options.MaxConnections)
        {
            Log.ConnectionLimit(_logger, _options.MaxConnections);
            return null;
        }

        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(remote, timeout.Token).ConfigureAwait(false);
            return Open(socket, inbound: false, target.Host ?? remote.Address.ToString());
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            Log.ConnectFailed(_logger, Kind, remote, e.Message);
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

            if (_connections.Count >= _options.MaxConnections)
            {
                Log.ConnectionLimit(_logger, _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            if (_screen is { } screen && socket.RemoteEndPoint is IPEndPoint remote && screen.ScreenConnection(remote) != ScreenVerdict.Accept)
            {
                socket.Dispose(); // refused by its source before a handshake or a read
                continue;
            }

            Open(socket, inbound: true, targetHost: null);
        }
    }

    private StreamConnection Open(Socket socket, bool inbound, string? targetHost)
    {
        var connection = new StreamConnection(Interlocked.Increment(ref _nextId), socket, Kind, _time) { TargetHost = targetHost };
        _connections[connection.Id] = connection;
        _byRemote[connection.Remote] = connection;
        Log.Connected(_logger, Kind, connection.Id, connection.Remote);
        Track(RunConnectionAsync(connection, inbound));
        return connection;
    }

    private async Task RunConnectionAsync(StreamConnection connection, bool inbound)
    {
        try
        {
            await connection.RunAsync((stream, ct) => HandshakeAsync(stream, connection, inbound, ct), Deliver, _stopping.Token).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Log.HandshakeFailed(_logger, connection.Id, e.Message);
            if (!inbound)
            {
                // What was queued for it never went out: a transport error now (RFC 3261 §8.1.3.1), not a timeout later.
                SendFailed?.Invoke(new SipEndPoint(Kind, connection.Remote, 0, connection.TargetHost));
            }
        }
        finally
        {
            if (inbound)
            {
                _screen?.ConnectionClosed(connection.Remote);
            }

            _connections.TryRemove(connection.Id, out _);
            _byRemote.TryRemove(new KeyValuePair<IPEndPoint, StreamConnection>(connection.Remote, connection));
            await connection.DisposeAsync().ConfigureAwait(false);
            Log.Disconnected(_logger, Kind, connection.Id, connection.Remote);
        }
    }

    // One framed message: screened by its source, then handed on; false closes the connection it came on.
    private bool Deliver(ReadOnlyMemory<byte> message, SipEndPoint source) => ScreenedDelivery.Deliver(_screen, _sink!, message, source);

    private async Task<Stream> HandshakeAsync(Stream network, StreamConnection connection, bool inbound, CancellationToken cancellationToken)
    {
        if (_tls is null)
        {
            return network;
        }

        // Inbound we ask for no client certificate, so only outbound connections judge the peer's.
        var ssl = inbound ? new SslStream(network, leaveInnerStreamOpen: true) : new SslStream(network, leaveInnerStreamOpen: true, _tls.ValidateServer);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        if (inbound)
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _tls.Certificate }, timeout.Token).ConfigureAwait(false);
        }
        else
        {
            // The host the destination named: sent as SNI (not for an IP literal, RFC 6066 §3) and checked against the
            // certificate's names, or its IP addresses for an IP literal (RFC 5922 §7.2).
            var client = new SslClientAuthenticationOptions { TargetHost = connection.TargetHost, CertificateChainPolicy = _tls.ServerChainPolicy() };
            await ssl.AuthenticateAsClientAsync(client, timeout.Token).ConfigureAwait(false);
        }

        return ssl;
    }

    private void Track(Task task)
    {
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "{Transport} connection {ConnectionId} with {Remote} open")]
        public static partial void Connected(ILogger logger, SipTransportKind transport, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "{Transport} connection {ConnectionId} with {Remote} closed")]
        public static partial void Disconnected(ILogger logger, SipTransportKind transport, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "{Transport} connect to {Remote} failed: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, SipTransportKind transport, IPEndPoint remote, string reason);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Accept failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, SocketError error);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Connection refused: the limit of {Limit} connections is reached")]
        public static partial void ConnectionLimit(ILogger logger, int limit);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Debug, Message = "Connection {ConnectionId} with {Remote} closed after {IdleTimeout} without traffic")]
        public static partial void IdleClosed(ILogger logger, long connectionId, IPEndPoint remote, TimeSpan idleTimeout);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Connection {ConnectionId}: {Reason}")]
        public static partial void HandshakeFailed(ILogger logger, long connectionId, string reason);
    }
}
