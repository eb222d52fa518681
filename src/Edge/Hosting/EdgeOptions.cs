using CallControl.Sip.Transport;

namespace CallControl.Edge.Hosting;

/// <summary>The edge's SIP listener, from configuration section <c>CallControl:Edge</c>.</summary>
public sealed class EdgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Edge";

    /// <summary>The address to listen on, IPv4 or IPv6 (<c>::1</c> or <c>[::1]</c>); default 127.0.0.1 (loopback only,
    /// until an operator says otherwise). <see cref="ListenAddresses"/>, when set, replaces it.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Dual stack: the addresses to listen on, at most one per IP family (<c>ListenAddresses:0=192.0.2.10</c>,
    /// <c>ListenAddresses:1=2001:db8::10</c>), every transport on each, on the same ports. The first is the edge's
    /// host (as <see cref="ListenAddress"/> is alone; <see cref="AdvertisedHost"/> replaces it); the other is named in Via
    /// and Contact toward peers of its family, so it must be an address peers can reach (not <c>::</c> or
    /// <c>0.0.0.0</c>). Default: none (<see cref="ListenAddress"/> alone); empty items are skipped.
    /// </summary>
    public IList<string> ListenAddresses { get; init; } = [];

    /// <summary>The addresses the edge listens on: <see cref="ListenAddresses"/> when any is set, else <see cref="ListenAddress"/>.</summary>
    public IReadOnlyList<string> Addresses
        => ListenAddresses.Any(a => !string.IsNullOrWhiteSpace(a)) ? [.. ListenAddresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim())] : [ListenAddress];

    /// <summary>The SIP port for UDP and TCP; default 5060 (RFC 3261 §19.1.2).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>The SIP-over-TLS port; default 5061 (RFC 3261 §26.2.2; 0 picks a free one).</summary>
    public int TlsPort { get; set; } = 5061;

    /// <summary>The SIP-over-WebSocket port, plain (RFC 7118); default 5066, as Kamailio and Asterisk use. Run when
    /// <see cref="Transports"/> lists ws; 0 picks a free one.</summary>
    public int WebSocketPort { get; set; } = 5066;

    /// <summary>The SIP-over-secure-WebSocket port (RFC 7118), TLS with the edge's certificate (<see cref="Tls"/>);
    /// default 7443. Run when <see cref="Transports"/> lists wss; 0 picks a free one.</summary>
    public int SecureWebSocketPort { get; set; } = 7443;

    /// <summary>
    /// The transports to run, comma-separated: udp, tcp, tls, ws, wss. Default udp,tcp,tls: the WebSocket ports open
    /// only when listed, so an upgrade opens no port an operator did not ask for (docs/webrtc.md).
    /// </summary>
    public string Transports { get; set; } = "udp,tcp,tls";

    /// <summary>SIP over WebSocket: origins, limits, keep-alives (<c>CallControl:Edge:WebSocket</c>).</summary>
    public WebSockets.EdgeWebSocketOptions WebSocket { get; set; } = new();

    /// <summary>TLS certificate settings (<c>CallControl:Edge:Tls</c>).</summary>
    public EdgeTlsOptions Tls { get; set; } = new();

    /// <summary>TCP and TLS connections with no traffic this long are closed (default 10 min; RFC 5626 keep-alives come every 2 min).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The host put in Via and Contact; default: the (first) listen address. On a dual-stack edge it stands for the
    /// first address only; the second is named as it is.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>
    /// The host put in UDP and TCP Contact headers instead of <see cref="AdvertisedHost"/>: a SIP load balancer's,
    /// so in-dialog requests come back through it to any live edge. Via keeps the edge's own address (responses
    /// must reach the edge holding the transaction), and so does a TLS Contact. Default: none (the edge's own).
    /// </summary>
    public string? PublicHost { get; set; }

    /// <summary>The port put in UDP and TCP Contact headers with <see cref="PublicHost"/>; default 0: the edge's own port.</summary>
    public int PublicPort { get; set; }

    /// <summary>This edge's name in CDRs and logs; default: host name and process id (<see cref="DefaultEdgeId"/>).</summary>
    public string? EdgeId { get; set; }

    /// <summary>The edge's name when <see cref="EdgeId"/> is not set: the host name and the process id.</summary>
    public static string DefaultEdgeId => $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Most TCP connections open at once; more are refused (default 10,000).</summary>
    public int MaxTcpConnections { get; set; } = 10_000;

    /// <summary>
    /// Most server transactions open at once (default 200,000: minutes of a busy edge's traffic, a few hundred MB at
    /// most); beyond, new requests get 503 without a transaction, so no flood grows the table without bound.
    /// </summary>
    public int MaxTransactions { get; set; } = 200_000;

    /// <summary>Kernel socket buffer size for UDP; default 4 MiB, so bursts queue instead of dropping.</summary>
    public int UdpSocketBufferBytes { get; set; } = 4 << 20;

    /// <summary>
    /// On stop, how long the edge keeps serving its open transactions while /readyz says "draining" (default 0:
    /// stop at once, as a loopback node should). Kubernetes sets 30 s, inside the pod's termination grace period.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The Retry-After of the edge's own 503s: while it drains, and when a call's grain cannot be reached (its silo
    /// or its store is down and the retries are spent). Default 5 s.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the edge waits for one grain call's answer before it tries again; default 5 s. A SIP turn takes
    /// milliseconds, so a call with no answer by then went to a silo that is gone, and is retried rather than held for
    /// Orleans' default 30 s while the caller's transaction times out. The standalone edge also sets Orleans'
    /// <c>ResponseTimeout</c> to it.
    /// </summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts after the first of a grain call that timed out or found its silo gone; default 8, which with the
    /// default delays spans about ten seconds: enough for the cluster to declare a dead silo dead (2–3.5 s,
    /// docs/reliability.md) and the call to reactivate elsewhere. 0: no retry.
    /// </summary>
    public int GrainCallRetries { get; set; } = 8;

    /// <summary>The first wait before a grain call is retried, doubled at each retry, with jitter; default 100 ms.</summary>
    public TimeSpan GrainCallRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts of a grain call; default 2 s.</summary>
    public TimeSpan GrainCallRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the edge announces itself to the cluster's edge directory (<c>IEdgeDirectory</c>), so that a call's
    /// timer messages (a ring timeout's CANCEL, a maximum duration's BYE) can go out through it when the edge that carried
    /// the call is dead. An edge that missed three announcements counts as dead. Default 5 s.
    /// </summary>
    public TimeSpan AnnounceInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The grain-call settings as the router takes them.</summary>
    public Routing.GrainCallSettings GrainCalls => new(GrainCallTimeout, GrainCallRetries, GrainCallRetryDelay, GrainCallRetryMaxDelay);

    /// <summary>Admission control of new calls under overload (<c>CallControl:Edge:Admission</c>).</summary>
    public EdgeAdmissionOptions Admission { get; set; } = new();

    /// <summary>True when the transport list names <paramref name="transport"/>.</summary>
    public bool Runs(string transport) => TransportList.Contains(transport, StringComparer.OrdinalIgnoreCase);

    /// <summary>The transports as a list.</summary>
    public IReadOnlyList<string> TransportList => Transports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The transports as kinds; names that are no transport are left out (the validator reports them).</summary>
    public IEnumerable<SipTransportKind> TransportKinds
        => TransportList.Select(name => SipTransportKinds.TryParse(name, out var kind) ? kind : (SipTransportKind?)null).OfType<SipTransportKind>();
}

/// <summary>The edge's TLS settings (<c>CallControl:Edge:Tls</c>): its certificate (without one, a self-signed certificate
/// for the listen address is made at start-up: fine on loopback, and the log says so), and how it judges the servers it
/// connects to.</summary>
public sealed class EdgeTlsOptions
{
    /// <summary>A PKCS#12 (.pfx) file, or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when <see cref="CertificatePath"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, if any.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// A PEM file of CA certificates: when set, outbound TLS builds a server's chain against these alone
    /// (<c>X509ChainTrustMode.CustomRootTrust</c>) instead of the system trust store. Must exist and hold at least one
    /// certificate. Default: none (the system store).
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    /// <summary>
    /// UNSAFE: accept any server certificate on outbound TLS, whoever issued it and whatever name it holds (an untrusted
    /// chain, a name other than the target's, an expired certificate). Anyone who can divert the traffic can then read
    /// and change the calls. For tests and labs only; default false: the certificate must chain to a trusted root and
    /// name the target host (docs/security.md, "Outbound TLS").
    /// </summary>
    public bool AllowUntrustedServers { get; set; }
}
