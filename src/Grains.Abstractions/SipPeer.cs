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
    /// <inheritdoc />
    public override string ToString() => $"{Transport.ViaName()}:{Host}:{Port}";
}

/// <summary>An edge as grains see it: its identity, the host and ports it advertises in Via and Contact, and
/// the observer through which grain-initiated messages reach it.</summary>
[GenerateSerializer, Immutable, Alias("cc.edge-info")]
public sealed record EdgeInfo(
    [property: Id(0)] string EdgeId,
    [property: Id(1)] string Host,
    [property: Id(2)] int UdpPort,
    [property: Id(3)] int TcpPort,
    [property: Id(4)] int TlsPort = 0,
    [property: Id(5)] IEdgeObserver? Observer = null)
{
    /// <summary>The port this edge advertises for a transport.</summary>
    public int PortFor(SipTransportKind transport) => transport switch
    {
        SipTransportKind.Udp => UdpPort,
        SipTransportKind.Tcp => TcpPort,
        _ => TlsPort,
    };
}
