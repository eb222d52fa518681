using CallControl.Sip.Transport;

namespace CallControl.Grains;

/// <summary>
/// A SIP peer as grains record it: transport, host (an IP literal or a name the edge resolves), port and,
/// for stream transports, the connection on the edge that holds it (0: any).
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.sip-peer")]
public sealed record SipPeer(
    [property: Id(0)] SipTransportKind Transport,
    [property: Id(1)] string Host,
    [property: Id(2)] int Port,
    [property: Id(3)] long ConnectionId = 0,
    [property: Id(4)] string? EdgeId = null)
{
    /// <summary>
    /// A NATed UDP flow (a registered phone's): reached at this address only from the socket of the edge
    /// <see cref="EdgeId"/> that holds it, since the phone's NAT lets in only what comes from where it sent to.
    /// </summary>
    [Id(5)] public bool EdgeBound { get; init; }

    /// <summary>
    /// The name <see cref="Host"/>'s address was found under (a DNS SRV target or the URI's host): what outbound TLS
    /// checks the server's certificate against. Null: <see cref="Host"/> itself.
    /// </summary>
    [Id(6)] public string? ServerName { get; init; }

    /// <summary>True when messages to this peer must leave through the edge <see cref="EdgeId"/>: its connection, or its NATed flow.</summary>
    public bool IsHeldByEdge => (ConnectionId != 0 || EdgeBound) && EdgeId is not null;

    /// <inheritdoc />
    public override string ToString() => $"{Transport.ViaName()}:{Host}:{Port}";
}

/// <summary>An edge as grains see it: its identity, the host and ports it advertises in Via, the observer through
/// which grain-initiated messages reach it, and the public UDP/TCP address it puts in Contact when a load balancer
/// stands in front of it (<see cref="PublicHost"/>, <see cref="PublicPort"/>; absent: its own, as in Via). Hosts are
/// URI hosts (IPv6 in brackets, <c>SipHost</c>); a dual-stack edge has one of each family (<see cref="AlternateHost"/>).</summary>
[GenerateSerializer, Immutable, Alias("cc.edge-info")]
public sealed record EdgeInfo(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Host,
    [property: Id(2)] int UdpPort,
    [property: Id(3)] int TcpPort,
    [property: Id(4)] int TlsPort = 0,
    [property: Id(5)] IEdgeObserver? Observer = null,
    [property: Id(6)] string? PublicHost = null,
    [property: Id(7)] int PublicPort = 0)
{
    /// <summary>
    /// A dual-stack edge's address in the other IP family than <see cref="Host"/>'s (it listens on both, on the same
    /// ports), named in Via and Contact toward peers of that family: a peer can answer only to an address it can reach.
    /// Null on a single-stack edge, and on edges that predate it.
    /// </summary>
    [Id(8)] public string? AlternateHost { get; init; }

    /// <summary>The port of SIP over WebSocket (RFC 7118), plain; 0 when the edge runs none (and on edges that predate it).</summary>
    [Id(9)] public int WsPort { get; init; }

    /// <summary>The port of SIP over secure WebSocket (RFC 7118); 0 when the edge runs none.</summary>
    [Id(10)] public int WssPort { get; init; }

    /// <summary>
    /// The host to name toward a peer at <paramref name="peerHost"/> (a URI host): <see cref="AlternateHost"/> when the
    /// peer is an IP literal of its family, <see cref="Host"/> otherwise (a name resolves in Host's family first).
    /// Allocates nothing: it reads the characters of the peer's host, no more.
    /// </summary>
    public string HostFor(string peerHost)
    {
        if (AlternateHost is null || peerHost.Length == 0)
        {
            return Host;
        }

        // "[...]" is an IPv6 reference; digits and dots alone an IPv4 address; anything else a name.
        var peerIPv6 = peerHost[0] == '[';
        var peerIPv4 = !peerIPv6 && IsIPv4Literal(peerHost);
        var alternateIPv6 = AlternateHost[0] == '[';
        return (peerIPv6 && alternateIPv6) || (peerIPv4 && !alternateIPv6) ? AlternateHost : Host;
    }

    private static bool IsIPv4Literal(string host)
    {
        foreach (var c in host)
        {
            if (c is not ('.' or (>= '0' and <= '9')))
            {
                return false;
            }
        }

        return host.Contains('.', StringComparison.Ordinal);
    }

    /// <summary>The port this edge advertises for a transport (0 for one it does not run).</summary>
    /// <exception cref="NotSupportedException">For a value no transport has (a bad deserialization).</exception>
    public int PortFor(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Udp => UdpPort,
        SipTransportKind.Tcp => TcpPort,
        SipTransportKind.Tls => TlsPort,
        SipTransportKind.Ws => WsPort,
        SipTransportKind.Wss => WssPort,
        _ => throw new NotSupportedException($"Edge {EdgeId}: {(byte)transport} is not a SIP transport."),
    };

    /// <summary>
    /// The host and port for Contact: the public address for UDP and TCP when one is set, so in-dialog requests
    /// come back through the balancer to any live edge; the edge's own otherwise, and always for TLS (the balancer
    /// carries no TLS, nor WebSocket). Via keeps the edge's own address: responses must reach the edge holding the transaction.
    /// </summary>
    /// <param name="transport">The transport the Contact is for.</param>
    /// <param name="peerHost">The peer it goes to (a URI host), which picks the family on a dual-stack edge (<see cref="HostFor"/>); null: <see cref="Host"/>.</param>
    public (string Host, int Port) ContactFor(SipTransportKind transport, string? peerHost = null)
    {
        var own = peerHost is null ? Host : HostFor(peerHost);
        return transport is SipTransportKind.Udp or SipTransportKind.Tcp
            ? (PublicHost ?? own, PublicPort != 0 ? PublicPort : PortFor(transport))
            : (own, PortFor(transport));
    }
}
