using System.Net;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>The edge's SIP listener, from configuration section <c>CallControl:Edge</c>.</summary>
public sealed class EdgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Edge";

    /// <summary>The address to listen on; default 127.0.0.1 (loopback only, until an operator says otherwise).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The SIP port for UDP and TCP; default 5060 (RFC 3261 §19.1.2).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>The SIP-over-TLS port; default 5061 (RFC 3261 §26.2.2; 0 picks a free one).</summary>
    public int TlsPort { get; set; } = 5061;

    /// <summary>The transports to run, comma-separated: udp, tcp, tls.</summary>
    public string Transports { get; set; } = "udp,tcp,tls";

    /// <summary>TLS certificate settings (<c>CallControl:Edge:Tls</c>).</summary>
    public EdgeTlsOptions Tls { get; set; } = new();

    /// <summary>TCP and TLS connections with no traffic this long are closed (default 10 min; RFC 5626 keep-alives come every 2 min).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The host put in Via and Contact; default: <see cref="ListenAddress"/>.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>
    /// The host put in UDP and TCP Contact headers instead of <see cref="AdvertisedHost"/>: a SIP load balancer's,
    /// so in-dialog requests come back through it to any live edge. Via keeps the edge's own address (responses
    /// must reach the edge holding the transaction), and so does a TLS Contact. Default: none (the edge's own).
    /// </summary>
    public string? PublicHost { get; set; }

    /// <summary>The port put in UDP and TCP Contact headers with <see cref="PublicHost"/>; default 0: the edge's own port.</summary>
    public int PublicPort { get; set; }

    /// <summary>This edge's name in CDRs and logs; default: host name and process id.</summary>
    public string? EdgeId { get; set; }

    /// <summary>Most TCP connections open at once; more are refused (default 10,000).</summary>
    public int MaxTcpConnections { get; set; } = 10_000;

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

    /// <summary>Admission control of new calls under overload (<c>CallControl:Edge:Admission</c>).</summary>
    public EdgeAdmissionOptions Admission { get; set; } = new();

    /// <summary>True when the transport list names <paramref name="transport"/>.</summary>
    public bool Runs(string transport) => TransportList.Contains(transport, StringComparer.OrdinalIgnoreCase);

    /// <summary>The transports as a list.</summary>
    public IReadOnlyList<string> TransportList => Transports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>The edge's TLS certificate (<c>CallControl:Edge:Tls</c>). Without one, a self-signed certificate for the
/// listen address is made at start-up (fine on loopback; say so in the log).</summary>
public sealed class EdgeTlsOptions
{
    /// <summary>A PKCS#12 (.pfx) file, or a PEM certificate with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key, when <see cref="CertificatePath"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The PKCS#12 password, if any.</summary>
    public string? Password { get; set; }

    /// <summary>Accept any server certificate on outbound TLS (labs only; default false: the system trust store decides).</summary>
    public bool AllowUntrustedServers { get; set; }
}

/// <summary>Rejects edge settings that cannot work, naming the key.</summary>
public sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        const string s = EdgeOptions.Section;
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{s}:ListenAddress: '{options.ListenAddress}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{s}:Port: {options.Port} is not a port number (0–65535; 0 picks a free one).");
        }

        if (options.PublicHost is { } publicHost && Uri.CheckHostName(publicHost) is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            failures.Add($"{s}:PublicHost: '{publicHost}' is not a host name or IP address.");
        }

        if (options.PublicPort is < 0 or > 65535)
        {
            failures.Add($"{s}:PublicPort: {options.PublicPort} is not a port number (1–65535; 0: the edge's own).");
        }

        string[] known = ["udp", "tcp", "tls"];
        var transports = options.TransportList;
        if (transports.Count == 0 || transports.Any(t => !known.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"{s}:Transports: '{options.Transports}' must list some of udp, tcp, tls.");
        }

        if (options.TlsPort is < 0 or > 65535 || (options.TlsPort == options.Port && options.Port != 0 && options.Runs("tls")))
        {
            failures.Add($"{s}:TlsPort: {options.TlsPort} is not a port number distinct from Port.");
        }

        if (options.Tls.CertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"{s}:Tls:CertificatePath: '{path}' does not exist.");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:IdleTimeout must be at least 1 s; got {options.IdleTimeout}.");
        }

        if (options.MaxTcpConnections < 1)
        {
            failures.Add($"{s}:MaxTcpConnections must be at least 1; got {options.MaxTcpConnections}.");
        }

        if (options.DrainTimeout < TimeSpan.Zero || options.DrainTimeout > EdgeDrain.LongestDrain)
        {
            failures.Add($"{s}:DrainTimeout must be between 0 and {EdgeDrain.LongestDrain}; got {options.DrainTimeout}.");
        }

        if (options.RetryAfter < TimeSpan.FromSeconds(1) || options.RetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{s}:RetryAfter must be between 1 s and 1 h; got {options.RetryAfter}.");
        }

        if (options.UdpSocketBufferBytes < 65_536)
        {
            failures.Add($"{s}:UdpSocketBufferBytes must be at least 65536; got {options.UdpSocketBufferBytes}.");
        }

        var admission = options.Admission;
        if (admission.MaxInFlight < 1)
        {
            failures.Add($"{s}:Admission:MaxInFlight must be at least 1; got {admission.MaxInFlight}.");
        }

        if (admission.Interval < TimeSpan.FromMilliseconds(10) || admission.Interval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{s}:Admission:Interval must be between 10 ms and 1 min; got {admission.Interval}.");
        }

        if (admission.LatencyTarget <= TimeSpan.Zero || admission.LatencyTarget > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{s}:Admission:LatencyTarget must be more than 0 and at most 10 s; got {admission.LatencyTarget}.");
        }

        if (admission.QueueDelayTarget <= TimeSpan.Zero || admission.QueueDelayTarget > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{s}:Admission:QueueDelayTarget must be more than 0 and at most 10 s; got {admission.QueueDelayTarget}.");
        }

        if (admission.MinCompletions is < 1 or > 100_000)
        {
            failures.Add($"{s}:Admission:MinCompletions must be between 1 and 100000; got {admission.MinCompletions}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
