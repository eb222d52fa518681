using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>Rejects edge settings that cannot work, naming the key.</summary>
public sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        const string s = EdgeOptions.Section;
        var failures = new List<string>();
        if (!SipHost.TryParseAddress(options.ListenAddress, out _))
        {
            failures.Add($"{s}:ListenAddress: '{options.ListenAddress}' is not an IP address (IPv4, or IPv6 such as ::1 or [::1], without a port).");
        }

        ValidateListenAddresses(options.ListenAddresses, failures);

        if (options.AdvertisedHost is { } advertised && !IsHost(advertised))
        {
            failures.Add($"{s}:AdvertisedHost: '{advertised}' is not a host name or IP address (without a port).");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{s}:Port: {options.Port} is not a port number (0–65535; 0 picks a free one).");
        }

        if (options.PublicHost is { } publicHost && !IsHost(publicHost))
        {
            failures.Add($"{s}:PublicHost: '{publicHost}' is not a host name or IP address.");
        }

        if (options.PublicPort is < 0 or > 65535)
        {
            failures.Add($"{s}:PublicPort: {options.PublicPort} is not a port number (1–65535; 0: the edge's own).");
        }

        var transports = options.TransportList;
        if (transports.Count == 0 || transports.Any(t => !SipTransportKinds.TryParse(t, out _)))
        {
            failures.Add($"{s}:Transports: '{options.Transports}' must list some of udp, tcp, tls, ws, wss.");
        }

        WebSockets.WebSocketOptionsChecks.Validate(options, failures);

        if (options.TlsPort is < 0 or > 65535 || (options.TlsPort == options.Port && options.Port != 0 && options.Runs("tls")))
        {
            failures.Add($"{s}:TlsPort: {options.TlsPort} is not a port number distinct from Port.");
        }

        if (options.Tls.CertificatePath is { Length: > 0 } path && !File.Exists(path))
        {
            failures.Add($"{s}:Tls:CertificatePath: '{path}' does not exist.");
        }

        if (options.Tls.TrustedCertificatesPath is { Length: > 0 } trusted && EdgeTrustStore.Problem(trusted) is { } problem)
        {
            failures.Add($"{s}:Tls:TrustedCertificatesPath: '{trusted}' {problem}.");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:IdleTimeout must be at least 1 s; got {options.IdleTimeout}.");
        }

        if (options.MaxTransactions < 1)
        {
            failures.Add($"{s}:MaxTransactions must be at least 1 (default 200000); got {options.MaxTransactions}.");
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

        // Under 1 s is load on the directory for nothing; past a minute a dead edge keeps getting timer messages (each
        // waits out a bounded observer call before the next edge) for three minutes.
        if (options.AnnounceInterval < TimeSpan.FromSeconds(1) || options.AnnounceInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{s}:AnnounceInterval must be between 1 s and 1 min; got {options.AnnounceInterval}.");
        }

        ValidateGrainCalls(options, failures);
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

    // Dual stack: one address per family, since the edge names one per family in Via and Contact (EdgeInfo.AlternateHost),
    // and the second a specific one, since it is named as it is (AdvertisedHost stands for the first only).
    private static void ValidateListenAddresses(IList<string> addresses, List<string> failures)
    {
        const string s = EdgeOptions.Section;
        var families = new List<System.Net.Sockets.AddressFamily>();
        for (var i = 0; i < addresses.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(addresses[i]))
            {
                continue;
            }

            if (!SipHost.TryParseAddress(addresses[i].Trim(), out var address))
            {
                failures.Add($"{s}:ListenAddresses:{i}: '{addresses[i]}' is not an IP address (IPv4, or IPv6 such as ::1 or [::1], without a port).");
            }
            else if (families.Contains(address.AddressFamily))
            {
                failures.Add($"{s}:ListenAddresses:{i}: '{addresses[i]}' is a second address of its IP family; the edge listens on one IPv4 and one IPv6 address at most.");
            }
            else if (families.Count > 0 && (address.Equals(System.Net.IPAddress.Any) || address.Equals(System.Net.IPAddress.IPv6Any)))
            {
                failures.Add($"{s}:ListenAddresses:{i}: '{addresses[i]}' is a wildcard; the second address goes into Via and Contact as it is, so it must be one peers can reach.");
            }
            else
            {
                families.Add(address.AddressFamily);
            }
        }
    }

    // A host as Via and Contact take it: a DNS name, an IPv4 address, or an IPv6 one (bracketed or not; SipHost.Normalize
    // brackets it). Uri.CheckHostName alone would take "[::1]:5060" too, whose port would then land inside Via's host.
    private static bool IsHost(string host)
        => SipHost.TryParseAddress(host, out _) || Uri.CheckHostName(host) is UriHostNameType.Dns;

    // The bounds keep a grain call's whole life (attempts and waits) well inside an INVITE's Timer B (64×T1, 32 s)
    // at the defaults, and rule out values that would make the policy meaningless (no wait, or a backoff that shrinks).
    private static void ValidateGrainCalls(EdgeOptions options, List<string> failures)
    {
        const string s = EdgeOptions.Section;
        if (options.GrainCallTimeout < TimeSpan.FromMilliseconds(100) || options.GrainCallTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{s}:GrainCallTimeout must be between 100 ms and 1 min; got {options.GrainCallTimeout}.");
        }

        if (options.GrainCallRetries is < 0 or > 100)
        {
            failures.Add($"{s}:GrainCallRetries must be between 0 and 100; got {options.GrainCallRetries}.");
        }

        if (options.GrainCallRetryDelay < TimeSpan.FromMilliseconds(1) || options.GrainCallRetryDelay > TimeSpan.FromSeconds(10))
        {
            failures.Add($"{s}:GrainCallRetryDelay must be between 1 ms and 10 s; got {options.GrainCallRetryDelay}.");
        }

        if (options.GrainCallRetryMaxDelay < options.GrainCallRetryDelay || options.GrainCallRetryMaxDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{s}:GrainCallRetryMaxDelay must be at least GrainCallRetryDelay and at most 1 min; got {options.GrainCallRetryMaxDelay}.");
        }
    }
}
