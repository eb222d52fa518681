using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using CallControl.Sip.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.WebSockets;

/// <summary>
/// SIP over WebSocket (RFC 7118), plain (WS) or over TLS with the edge's certificate (WSS), on a Kestrel server of its
/// own: a connection is screened by its source when its TCP connection is accepted (the border's lists and bans, then
/// this transport's own limits), before any TLS or HTTP; its handshake must offer the <c>sip</c> subprotocol and come
/// from an allowed origin; then each WebSocket message is one SIP message, screened and handed to the stack as a stream
/// transport's are. The edge never opens a WebSocket: a message for a connection that is gone fails at once.
/// </summary>
public sealed partial class WebSocketTransport : ISipTransport
{
    private readonly IPEndPoint _bind;
    private readonly EdgeWebSocketOptions _options;
    private readonly X509Certificate2? _certificate;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly WebSocketMetrics? _metrics;
    private readonly OriginPolicy _origins;
    private readonly ConnectionCounter _counter;
    private readonly ConcurrentDictionary<long, WebSocketConnection> _connections = new();
    private readonly ConcurrentDictionary<IPEndPoint, WebSocketConnection> _byRemote = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _name;
    private WebApplication? _server;
    private ITimer? _idleSweep;
    private ISipMessageSink? _sink;
    private IPacketScreen? _screen;
    private long _nextId;

    /// <summary>A WebSocket transport on <paramref name="bind"/>: WSS when <paramref name="certificate"/> is given, else WS.</summary>
    public WebSocketTransport(IPEndPoint bind, EdgeWebSocketOptions options, X509Certificate2? certificate, TimeProvider time, ILoggerFactory loggers, WebSocketMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _bind = bind;
        _options = options;
        _certificate = certificate;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<WebSocketTransport>();
        _metrics = metrics;
        _origins = new OriginPolicy(options.AllowedOrigins);
        _counter = new ConnectionCounter(options.MaxConnections, options.MaxConnectionsPerSource);
        _name = Kind == SipTransportKind.Wss ? "wss" : "ws";
        LocalEndPoint = bind;
    }

    /// <inheritdoc />
    public SipTransportKind Kind => _certificate is null ? SipTransportKind.Ws : SipTransportKind.Wss;

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint { get; private set; }

    /// <summary>Open SIP WebSocket connections.</summary>
    public int ConnectionCount => _connections.Count;

    /// <inheritdoc />
    public event Action<SipEndPoint>? SendFailed;

    /// <inheritdoc />
    public void Bind()
    {
        if (_server is not null)
        {
            return;
        }

        var server = BuildServer();
        // Binding is synchronous in the edge's start-up (the port must be known before Via and Contact are made).
        server.StartAsync(_stopping.Token).GetAwaiter().GetResult();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        LocalEndPoint = new IPEndPoint(_bind.Address, new Uri(address).Port);
        _server = server;
    }

    /// <inheritdoc />
    public void Start(ISipMessageSink sink, IPacketScreen? screen = null)
    {
        _screen = screen;
        _sink = sink; // set last: until then handshakes are answered 503
        Bind();
        var sweepEvery = _options.IdleTimeout / 4;
        _idleSweep = _time.CreateTimer(_ => CloseIdle(), null, sweepEvery, sweepEvery);
    }

    /// <inheritdoc />
    public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message)
    {
        if (destination.ConnectionId != 0 && _connections.TryGetValue(destination.ConnectionId, out var byId) && byId.TrySend(message))
        {
            return;
        }

        if (_byRemote.TryGetValue(destination.Address, out var byRemote) && byRemote.TrySend(message))
        {
            return;
        }

        // No connection to that client now: a WebSocket server cannot open one (RFC 7118 §5), so this is a transport
        // error at once (RFC 3261 §8.1.3.1), as for a TCP connection that cannot be made.
        Log.NoConnection(_logger, Kind, destination);
        SendFailed?.Invoke(destination);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _idleSweep?.Dispose();
        if (_server is not null)
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _server.StopAsync(bounded.Token).ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private WebApplication BuildServer()
    {
        // An empty builder: no configuration sources, no environment variables (ASPNETCORE_URLS and the like cannot move
        // it), no default logging providers; only Kestrel, its limits and this edge's logs (InnerHost).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "CallControl.Edge.WebSocket" });
        builder.Logging.AddProvider(new InnerHost.ForwardingLoggerProvider(_loggers)).AddFilter(InnerHost.LifetimeCategory, LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime, InnerHost.SilentLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = _options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = _options.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = _options.HandshakeTimeout;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024; // a handshake is well under 1 KiB
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Listen(_bind, listen =>
            {
                listen.Protocols = HttpProtocols.Http1; // the RFC 6455 upgrade; HTTP/2's (RFC 8441) is not what SIP clients use
                listen.Use(next => connection => ScreenConnectionAsync(connection, next)); // before TLS: added first
                if (_certificate is not null)
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = _certificate, HandshakeTimeout = _options.HandshakeTimeout });
                }
            });
        });
        var app = builder.Build();
        app.UseWebSockets(new Microsoft.AspNetCore.Builder.WebSocketOptions { KeepAliveInterval = _options.KeepAliveInterval, KeepAliveTimeout = KeepAliveTimeout });
        app.Run(HandshakeAsync);
        return app;
    }

    private TimeSpan KeepAliveTimeout => _options.KeepAliveTimeout == TimeSpan.Zero ? Timeout.InfiniteTimeSpan : _options.KeepAliveTimeout;

    // Every TCP connection to the port, before its TLS handshake: the border's lists, bans and per-source limit (as a TCP
    // or TLS connection's), then the WebSocket ports' own per-source and total limits, which spare no source.
    private async Task ScreenConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.RemoteEndPoint is not IPEndPoint remote)
        {
            connection.Abort();
            return;
        }

        if (_screen is { } screen && screen.ScreenConnection(remote) != ScreenVerdict.Accept)
        {
            _metrics?.Refused(_name, "screen");
            connection.Abort();
            return;
        }

        var admission = _counter.TryAdd(remote.Address);
        if (admission != ConnectionAdmission.Admitted)
        {
            _screen?.ConnectionClosed(remote);
            var reason = admission == ConnectionAdmission.SourceLimit ? "source-limit" : "total-limit";
            _metrics?.Refused(_name, reason);
            Log.ConnectionRefused(_logger, Kind, remote, reason);
            connection.Abort();
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            _counter.Remove(remote.Address);
            _screen?.ConnectionClosed(remote);
        }
    }

    private async Task HandshakeAsync(HttpContext context)
    {
        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.None, context.Connection.RemotePort);
        string? origin = context.Request.Headers.Origin;
        var refusal = _sink is null || _stopping.IsCancellationRequested
            ? HandshakeRefusal.NotServing
            : HandshakeCheck.Judge(context.WebSockets.IsWebSocketRequest, context.WebSockets.WebSocketRequestedProtocols, origin, _origins);
        if (refusal != HandshakeRefusal.None)
        {
            var reason = HandshakeCheck.Name(refusal);
            _metrics?.Refused(_name, reason);
            Log.HandshakeRefused(_logger, Kind, remote, reason, origin);
            context.Response.StatusCode = HandshakeCheck.StatusCode(refusal);
            if (refusal == HandshakeRefusal.NotWebSocket)
            {
                context.Response.Headers.Upgrade = "websocket";
            }

            return;
        }

        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = HandshakeCheck.SubProtocol,
            KeepAliveInterval = _options.KeepAliveInterval,
            KeepAliveTimeout = KeepAliveTimeout,
        }).ConfigureAwait(false);
        var connection = new WebSocketConnection(Interlocked.Increment(ref _nextId), socket, Kind, remote, _time);
        _connections[connection.Id] = connection;
        _byRemote[remote] = connection;
        _metrics?.Opened(_name);
        Log.Connected(_logger, Kind, connection.Id, remote);
        try
        {
            var end = await connection.RunAsync(_options.MaxMessageBytes, Deliver, _stopping.Token).ConfigureAwait(false);
            if (end == ConnectionEnd.TooBig)
            {
                _metrics?.Refused(_name, "too-big");
                Log.TooBig(_logger, Kind, connection.Id, remote, _options.MaxMessageBytes);
            }
        }
        finally
        {
            connection.Dispose();
            _connections.TryRemove(connection.Id, out _);
            _byRemote.TryRemove(new KeyValuePair<IPEndPoint, WebSocketConnection>(remote, connection));
            _metrics?.Closed(_name);
            Log.Disconnected(_logger, Kind, connection.Id, remote);
        }
    }

    // One SIP message: screened by its source (rate limits, bans), then handed on; false closes the connection.
    private bool Deliver(ReadOnlyMemory<byte> message, SipEndPoint source) => ScreenedDelivery.Deliver(_screen, _sink!, message, source);

    private void CloseIdle()
    {
        foreach (var connection in _connections.Values)
        {
            if (connection.Idle > _options.IdleTimeout)
            {
                _metrics?.Refused(_name, "idle");
                Log.IdleClosed(_logger, connection.Id, connection.Remote, _options.IdleTimeout);
                connection.Close(WebSocketCloseStatus.NormalClosure, "idle");
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4230, Level = LogLevel.Debug, Message = "{Transport} connection {ConnectionId} with {Remote} open")]
        public static partial void Connected(ILogger logger, SipTransportKind transport, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 4231, Level = LogLevel.Debug, Message = "{Transport} connection {ConnectionId} with {Remote} closed")]
        public static partial void Disconnected(ILogger logger, SipTransportKind transport, long connectionId, IPEndPoint remote);

        [LoggerMessage(EventId = 4232, Level = LogLevel.Information, Message = "{Transport} handshake from {Remote} refused: {Reason} (Origin {Origin})")]
        public static partial void HandshakeRefused(ILogger logger, SipTransportKind transport, IPEndPoint remote, string reason, string? origin);

        [LoggerMessage(EventId = 4233, Level = LogLevel.Debug, Message = "{Transport} connection from {Remote} refused: {Reason}")]
        public static partial void ConnectionRefused(ILogger logger, SipTransportKind transport, IPEndPoint remote, string reason);

        [LoggerMessage(EventId = 4234, Level = LogLevel.Information, Message = "{Transport} connection {ConnectionId} with {Remote} closed with 1009: a message passed {Limit} bytes")]
        public static partial void TooBig(ILogger logger, SipTransportKind transport, long connectionId, IPEndPoint remote, int limit);

        [LoggerMessage(EventId = 4235, Level = LogLevel.Debug, Message = "WebSocket connection {ConnectionId} with {Remote} closed after {IdleTimeout} without a SIP message")]
        public static partial void IdleClosed(ILogger logger, long connectionId, IPEndPoint remote, TimeSpan idleTimeout);

        [LoggerMessage(EventId = 4236, Level = LogLevel.Debug, Message = "{Transport}: no connection for {Destination}; a WebSocket client is reached only over its own")]
        public static partial void NoConnection(ILogger logger, SipTransportKind transport, SipEndPoint destination);
    }
}
