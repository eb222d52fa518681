using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using DnsClient;
using DnsClient.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Dns;

/// <summary>
/// RFC 3263 over DnsClient: NAPTR, then SRV (RFC 2782 order), then A and AAAA, each answer kept for its records' TTL
/// (DnsClient's cache) and a lookup that found nothing for <see cref="DnsOptions.NegativeCacheFor"/>. Which lookups a URI
/// needs, which NAPTR records to follow and in what order SRV targets come are plain code (<see cref="TargetLookup"/>,
/// <see cref="NaptrChoice"/>, <see cref="SrvOrder"/>); this class only asks.
/// </summary>
public sealed partial class DnsSipLocator : ISipLocator
{
    /// <summary>The transports the edges carry, which a NAPTR or SRV record must offer to be followed.</summary>
    public static readonly IReadOnlySet<SipTransportKind> EdgeTransports = new HashSet<SipTransportKind> { SipTransportKind.Udp, SipTransportKind.Tcp, SipTransportKind.Tls };

    private readonly LookupClient _dns;
    private readonly int _maxHops;
    private readonly bool _systemServers;
    private readonly TlsServerName _tlsName;
    private readonly ILogger _logger;

    /// <summary>Asks the servers of <paramref name="options"/>, or the system's when it names none.</summary>
    public DnsSipLocator(IOptions<DnsOptions> options, ILogger<DnsSipLocator> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var servers = settings.ServerEndPoints();
        var client = servers.Count > 0 ? new LookupClientOptions([.. servers]) : new LookupClientOptions();
        client.UseCache = true;
        client.CacheFailedResults = settings.NegativeCacheFor > TimeSpan.Zero;
        client.FailedResultsCacheDuration = settings.NegativeCacheFor > TimeSpan.Zero ? settings.NegativeCacheFor : TimeSpan.FromMilliseconds(1);
        client.Timeout = settings.Timeout;
        client.Retries = settings.Retries;
        client.UseTcpFallback = true;       // a NAPTR or SRV answer too long for UDP
        client.ThrowDnsErrors = false;      // NXDOMAIN is an answer, not an exception
        client.ContinueOnDnsError = true;   // a failing server: the next one
        client.UseRandomNameServer = false; // in the configured order
        _dns = new LookupClient(client);
        _maxHops = settings.MaxHops;
        _systemServers = servers.Count == 0;
        _tlsName = settings.TlsServerName;
        _logger = logger;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<SipHop>> LocateAsync(SipUri uri, CancellationToken cancellationToken)
    {
        var lookup = TargetLookup.For(uri);
        switch (lookup.Kind)
        {
            case LookupKind.None:
                return [new SipHop(lookup.Transport!.Value, IPAddress.Parse(lookup.Host), lookup.Port ?? lookup.DefaultPort, null)];
            case LookupKind.Addresses:
                return await HopsAtAsync(lookup.Transport!.Value, lookup.Host, lookup.Port!.Value, [], null, cancellationToken).ConfigureAwait(false);
        }

        // §4.1: a transport the URI fixes skips NAPTR; otherwise NAPTR picks the transports, or, with no NAPTR
        // records, every SRV name of a transport we carry is asked.
        var services = lookup.Transport is { } fixedTransport
            ? NaptrChoice.WithoutNaptr(lookup.Host, lookup.Secure, new HashSet<SipTransportKind> { fixedTransport })
            : await ServicesAsync(lookup, cancellationToken).ConfigureAwait(false);
        var hops = new List<SipHop>();
        foreach (var (transport, srvName) in services)
        {
            foreach (var target in SrvOrder.Arrange(await SrvAsync(srvName, cancellationToken).ConfigureAwait(false)))
            {
                var name = _tlsName == TlsServerName.Target ? target.Host : lookup.Host;
                await HopsAtAsync(transport, target.Host, target.Port, hops, name, cancellationToken).ConfigureAwait(false);
                if (hops.Count >= _maxHops)
                {
                    return hops;
                }
            }
        }

        // §4.2: no SRV records: the host's addresses, on the default port of the transport.
        return hops.Count > 0
            ? hops
            : await HopsAtAsync(lookup.Transport ?? (lookup.Secure ? SipTransportKind.Tls : SipTransportKind.Udp), lookup.Host, lookup.DefaultPort, hops, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var bare = host.Trim('[', ']');
        if (IPAddress.TryParse(bare, out var literal))
        {
            return [literal];
        }

        var v4 = await QueryAsync(bare, QueryType.A, cancellationToken).ConfigureAwait(false);
        var v6 = await QueryAsync(bare, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<IPAddress> found = [.. v4.ARecords().Select(r => r.Address), .. v6.AaaaRecords().Select(r => r.Address)];
        return found.Count > 0 || !_systemServers ? found : await SystemAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// With the system's DNS, a name DNS does not know may still be the system's: /etc/hosts, "localhost" (what the
    /// operating system's resolver, and this edge before RFC 3263, answered). Configured servers are the only word.
    /// </summary>
    private static async Task<IReadOnlyList<IPAddress>> SystemAddressesAsync(string host, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false)).OrderBy(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)];
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
    }

    /// <summary>The SRV names NAPTR gives, or those to ask when it gives none (§4.1).</summary>
    private async Task<IReadOnlyList<(SipTransportKind Transport, string SrvName)>> ServicesAsync(TargetLookup lookup, CancellationToken cancellationToken)
    {
        var naptr = (await QueryAsync(lookup.Host, QueryType.NAPTR, cancellationToken).ConfigureAwait(false))
            .OfType<NAPtrRecord>()
            .Select(r => new NaptrRecord((ushort)r.Order, (ushort)r.Preference, r.Flags, r.Services, r.Replacement.Value))
            .ToList();
        var chosen = NaptrChoice.Select(naptr, lookup.Secure, EdgeTransports);
        return chosen.Count > 0 ? chosen : NaptrChoice.WithoutNaptr(lookup.Host, lookup.Secure, EdgeTransports);
    }

    private async Task<IReadOnlyList<SrvTarget>> SrvAsync(string name, CancellationToken cancellationToken)
        => [.. (await QueryAsync(name, QueryType.SRV, cancellationToken).ConfigureAwait(false)).SrvRecords()
            .Select(r => new SrvTarget(r.Priority, r.Weight, r.Port, r.Target.Value.TrimEnd('.') is { Length: > 0 } target ? target : "."))];

    /// <summary>
    /// Adds a server's addresses as hops to <paramref name="hops"/>, up to the most a URI gets, each named
    /// <paramref name="name"/> for TLS (default: the host itself, unless it is an address).
    /// </summary>
    private async Task<IReadOnlyList<SipHop>> HopsAtAsync(SipTransportKind transport, string host, int port, List<SipHop> hops, string? name, CancellationToken cancellationToken)
    {
        name ??= IPAddress.TryParse(host, out _) ? null : host;
        foreach (var address in await AddressesAsync(host, cancellationToken).ConfigureAwait(false))
        {
            if (hops.Count >= _maxHops)
            {
                break;
            }

            hops.Add(new SipHop(transport, address, port, name));
        }

        return hops;
    }

    /// <summary>The answers to one query; none when the name has none, or DNS failed (logged).</summary>
    private async Task<IReadOnlyList<DnsResourceRecord>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _dns.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
            {
                Log.QueryFailed(_logger, type.ToString(), name, response.ErrorMessage);
            }

            return response.Answers;
        }
        catch (DnsResponseException e)
        {
            Log.QueryFailed(_logger, type.ToString(), name, e.Message);
            return [];
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4140, Level = LogLevel.Warning, Message = "DNS {Type} query for {Name} failed: {Error}")]
        public static partial void QueryFailed(ILogger logger, string type, string name, string error);
    }
}
