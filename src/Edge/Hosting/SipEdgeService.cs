using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CallControl.Edge.Registrar;
using CallControl.Edge.Routing;
using CallControl.Edge.Security;
using CallControl.Edge.WebSockets;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Stack;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// Runs the edge: binds the transports, wires transport → stack → transaction layer → router, and
/// tears it down on stop.
/// </summary>
public sealed partial class SipEdgeService : IHostedService, IAsyncDisposable, IReadinessCheck
{
    private readonly EdgeOptions _options;
    private readonly bool _orleansBoundsGrainCalls;
    private readonly SipTimerOptions _timers;
    private readonly IGrainFactory _grains;
    private readonly CallIdCodec _callIds;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly DrainSwitch _drain;
    private readonly EdgeSecurity _security;
    private readonly SipMetrics _sipMetrics;
    private readonly EdgeMetrics _edgeMetrics;
    private readonly WebSocketMetrics _webSocketMetrics;
    private readonly NatKeepAliveOptions _keepAliveOptions;
    private readonly IMeterFactory _meterFactory;
    private readonly Sip.Dns.ISipLocator _locator;
    private readonly Messages.MessageOptions _messageOptions;
    private Task _keepAliveLoop = Task.CompletedTask;
    private TransportSet? _transports;
    private EdgeObserver? _observer;
    private AdmissionControl? _admission;
    private IEdgeObserver? _observerReference;
    private int _stopped;

    /// <summary>Created by the host.</summary>
    public SipEdgeService(
        IOptions<EdgeOptions> options, IOptions<SipTimerOptions> timers, IGrainFactory grains, CallIdCodec callIds,
        DrainSwitch drain, EdgeSecurity security, TimeProvider time, ILoggerFactory loggers, IMeterFactory meterFactory, IOptions<Orleans.Configuration.ClientMessagingOptions> orleansClient,
        IOptions<NatKeepAliveOptions> keepAlives, Sip.Dns.ISipLocator locator, IOptions<Messages.MessageOptions> messages)
    {
        _messageOptions = messages.Value;
        _locator = locator;
        _keepAliveOptions = keepAlives.Value;
        _meterFactory = meterFactory;
        _security = security;
        // A standalone edge sets Orleans' own response timeout to GrainCallTimeout (Program.cs), so Orleans already
        // bounds each attempt and a timer of ours per grain call would only cost; a co-hosted edge's calls run under
        // the silo's 30 s, so there the policy bounds them itself.
        _orleansBoundsGrainCalls = orleansClient.Value.ResponseTimeout <= options.Value.GrainCallTimeout;
        _sipMetrics = new SipMetrics(meterFactory);
        _edgeMetrics = new EdgeMetrics(meterFactory);
        _webSocketMetrics = new WebSocketMetrics(meterFactory);
        _options = options.Value;
        _drain = drain;
        _timers = timers.Value;
        _grains = grains;
        _callIds = callIds;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SipEdgeService>();
        EdgeId = _options.EdgeId ?? EdgeOptions.DefaultEdgeId;
    }

    /// <summary>This edge's identity.</summary>
    public string EdgeId { get; }

    /// <summary>The edge as grains see it; its ports are the bound ones once started.</summary>
    public EdgeInfo Info { get; private set; } = new("", "", 0, 0);

    /// <summary>The running transaction layer (for tests and metrics), once started.</summary>
    public TransactionLayer? Transactions { get; private set; }

    /// <inheritdoc />
    public string? NotReadyBecause() => _transports is null ? "SIP edge: not listening" : null;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var addresses = ListenAddresses();
        var address = addresses[0];
        var streams = new StreamTransportOptions { MaxConnections = _options.MaxTcpConnections, IdleTimeout = _options.IdleTimeout };
        var transports = BindSharedPort(addresses, [.. _options.TransportKinds.Where(k => k is SipTransportKind.Udp or SipTransportKind.Tcp)], _options.Port, streams, tls: null);
        var kinds = _options.TransportKinds.ToHashSet();
        var tls = kinds.Contains(SipTransportKind.Tls) || kinds.Contains(SipTransportKind.Wss) ? TlsSettings(addresses) : null;
        if (kinds.Contains(SipTransportKind.Tls))
        {
            transports.AddRange(BindSharedPort(addresses, [SipTransportKind.Tls], _options.TlsPort, streams, tls));
        }

        if (kinds.Contains(SipTransportKind.Ws))
        {
            transports.AddRange(BindSharedPort(addresses, [SipTransportKind.Ws], _options.WebSocketPort, streams, null));
        }

        if (kinds.Contains(SipTransportKind.Wss))
        {
            transports.AddRange(BindSharedPort(addresses, [SipTransportKind.Wss], _options.SecureWebSocketPort, streams, tls));
        }

        _transports = new TransportSet(transports);
        var layer = new TransactionLayer(_transports, _time, _timers, _loggers.CreateLogger<TransactionLayer>(), _sipMetrics, _options.MaxTransactions);
        var resolver = new PeerResolver(_locator, address.AddressFamily);
        var executor = new CommandExecutor(layer, resolver, _loggers.CreateLogger<CommandExecutor>());
        var messages = new Messages.MessageRelay(layer, resolver, _grains, () => Info, _messageOptions, _time, _loggers.CreateLogger<Messages.MessageRelay>(), _stopping.Token);
        var admission = _options.Admission;
        _admission = admission.Enabled
            ? new AdmissionControl(admission.MaxInFlight, admission.LatencyTarget, admission.QueueDelayTarget, admission.Interval, admission.MinCompletions, _time, _loggers.CreateLogger<AdmissionControl>(), _edgeMetrics)
            : null;
        var keepAlives = KeepAlives();
        var router = new EdgeRouter(_grains, new GrainKeys(_callIds), executor, () => Info, new EdgeRouterSettings(_drain, _options.RetryAfter, _admission, new GrainCallPolicy(_options.GrainCalls, _time, _orleansBoundsGrainCalls), _edgeMetrics) { Security = _security, KeepAlives = keepAlives, Messages = messages }, _loggers.CreateLogger<EdgeRouter>(), _stopping.Token);
        layer.Attach(router, router, _security.Guard);

        // Grains reach this edge for messages they start themselves (timers) through an observer reference.
        _observer = new EdgeObserver(executor, messages, _loggers.CreateLogger<EdgeObserver>(), _stopping.Token);
        _observerReference = _grains.CreateObjectReference<IEdgeObserver>(_observer);
        var stack = new SipStack(_transports, layer, _loggers.CreateLogger<SipStack>(), _sipMetrics);
        Transactions = layer;
        var udp = _transports.Get(SipTransportKind.Udp);
        var tcp = _transports.Get(SipTransportKind.Tcp);
        var tlsTransport = _transports.Get(SipTransportKind.Tls);

        // Grains paste these into Via and Contact as they are, so an IPv6 address goes in brackets here, once (SipHost).
        var host = SipHost.Normalize(_options.AdvertisedHost ?? _options.Addresses[0]);
        Info = new EdgeInfo(EdgeId, host, udp?.LocalEndPoint.Port ?? 0, tcp?.LocalEndPoint.Port ?? 0, tlsTransport?.LocalEndPoint.Port ?? 0, _observerReference)
        {
            PublicHost = _options.PublicHost is { } publicHost ? SipHost.Normalize(publicHost) : null, // a load balancer in front: Contact names it (EdgeInfo.ContactFor)
            PublicPort = _options.PublicPort,
            AlternateHost = addresses.Count > 1 ? SipHost.Of(addresses[1]) : null, // dual stack: Via and Contact toward its family
            WsPort = _transports.Get(SipTransportKind.Ws)?.LocalEndPoint.Port ?? 0,
            WssPort = _transports.Get(SipTransportKind.Wss)?.LocalEndPoint.Port ?? 0,
        };
        _transports.Start(stack, _security.Guard);
        _keepAliveLoop = keepAlives?.RunAsync(_stopping.Token) ?? Task.CompletedTask;
        foreach (var transport in _transports.All)
        {
            Log.Listening(_logger, transport.Kind, transport.LocalEndPoint);
        }

        return Task.CompletedTask;
    }

    // The listen addresses, validated: one, or one per family (dual stack), the edge's host first.
    private List<IPAddress> ListenAddresses()
    {
        var addresses = new List<IPAddress>();
        foreach (var text in _options.Addresses)
        {
            addresses.Add(SipHost.TryParseAddress(text, out var address)
                ? address
                : throw new InvalidOperationException($"{EdgeOptions.Section}:ListenAddress: '{text}' is not an IP address.")); // the validator says so first
        }

        return addresses;
    }

    /// <summary>
    /// The transports of <paramref name="kinds"/> on every address, all on one port (UDP and TCP share one; TLS has its
    /// own). Bind each before creating the next: with port 0 the first picks a free port and the rest share it, and when
    /// that port is taken for the others (another process holds it for TCP, or on the other address), all are let go
    /// and a new free port is tried, a few times.
    /// </summary>
    private List<ISipTransport> BindSharedPort(IReadOnlyList<IPAddress> addresses, IReadOnlyList<SipTransportKind> kinds, int configuredPort, StreamTransportOptions streams, TlsSettings? tls)
    {
        for (var attempt = 1; ; attempt++)
        {
            var transports = new List<ISipTransport>();
            var port = configuredPort;
            try
            {
                foreach (var address in addresses)
                {
                    foreach (var kind in kinds)
                    {
                        var transport = Create(kind, new IPEndPoint(address, port), streams, tls);
                        transports.Add(transport);
                        transport.Bind();
                        port = transport.LocalEndPoint.Port;
                    }
                }

                return transports;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && configuredPort == 0 && attempt < 10)
            {
                foreach (var transport in transports)
                {
                    transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
        }
    }

    private ISipTransport Create(SipTransportKind kind, IPEndPoint bind, StreamTransportOptions streams, TlsSettings? tls) => kind switch
    {
        SipTransportKind.Udp => new UdpTransport(bind, _options.UdpSocketBufferBytes, _loggers.CreateLogger<UdpTransport>(), _options.Admission.QueueDelayTarget, _sipMetrics),
        SipTransportKind.Tcp => StreamTransport.Tcp(bind, streams, _time, _loggers.CreateLogger<StreamTransport>()),
        SipTransportKind.Tls when tls is not null => StreamTransport.Tls(bind, streams, tls, _time, _loggers.CreateLogger<StreamTransport>()),
        SipTransportKind.Ws => new WebSocketTransport(bind, _options.WebSocket, null, _time, _loggers, _webSocketMetrics),
        SipTransportKind.Wss when tls is not null => new WebSocketTransport(bind, _options.WebSocket, tls.Certificate, _time, _loggers, _webSocketMetrics),
        _ => throw new NotSupportedException($"{EdgeOptions.Section}:Transports: {kind.ViaName()} needs a certificate."),
    };

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return; // the host stops it, then the container disposes it: once is enough
        }

        await _stopping.CancelAsync();
        await _keepAliveLoop;
        if (_observerReference is not null)
        {
            _grains.DeleteObjectReference<IEdgeObserver>(_observerReference);
            _observer = null;
        }

        if (_transports is not null)
        {
            await _transports.DisposeAsync();
            _transports = null;
        }

        _admission?.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
    }

    // NATed UDP flows kept open (src/Edge/Registrar), when keep-alives are on and the edge runs UDP.
    private NatKeepAlives? KeepAlives()
    {
        if (!_keepAliveOptions.Enabled || _transports?.Get(SipTransportKind.Udp) is null)
        {
            return null;
        }

        return new NatKeepAlives(_keepAliveOptions, _transports, () => Info, (aor, flow) => _grains.GetGrain<IRegistrarGrain>(aor).FlowFailed(flow), _time, _loggers.CreateLogger<NatKeepAlives>(), _meterFactory);
    }

    private TlsSettings TlsSettings(IReadOnlyList<IPAddress> addresses)
    {
        X509Certificate2 certificate;
        if (_options.Tls.CertificatePath is { Length: > 0 })
        {
            certificate = EdgeCertificate.Load(_options.Tls);
        }
        else
        {
            certificate = EdgeCertificate.SelfSigned(addresses, _time);
            Log.SelfSigned(_logger, string.Join(", ", addresses), certificate.Thumbprint, EdgeOptions.Section + ":Tls:CertificatePath");
        }

        return OutboundTls.Settings(certificate, _options.Tls, _loggers.CreateLogger<OutboundTls>());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "TLS uses a self-signed certificate for {Address} (SHA-1 thumbprint {Thumbprint}); set {Key} for a real one")]
        public static partial void SelfSigned(ILogger logger, string address, string thumbprint, string key);

        [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "SIP edge listening on {Transport} {EndPoint}")]
        public static partial void Listening(ILogger logger, SipTransportKind transport, IPEndPoint endPoint);
    }
}
