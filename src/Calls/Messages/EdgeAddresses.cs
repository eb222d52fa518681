using System.Globalization;
using CallControl.Sip.Transport;

namespace CallControl.Calls;

/// <summary>
/// The Via and Contact values that name an edge, for the messages grains build toward a peer: its transport, and on a
/// dual-stack edge the edge's address of the peer's family (<see cref="EdgeInfo.HostFor"/>). Hosts are URI hosts
/// already (IPv6 in brackets), so they go in as they are.
/// </summary>
internal static class EdgeAddresses
{
    /// <summary>"SIP/2.0/UDP host:port;branch=...;rport" toward <paramref name="toward"/>.</summary>
    public static string Via(EdgeInfo edge, SipPeer toward, string branch)
        => $"SIP/2.0/{toward.Transport.ViaName()} {edge.HostFor(toward.Host)}:{edge.PortFor(toward.Transport).ToString(CultureInfo.InvariantCulture)};branch={branch};rport";

    /// <summary>"&lt;sip:host:port;transport=tcp&gt;" (no transport parameter for UDP) toward <paramref name="toward"/>, at
    /// the edge's public address when it has one (<see cref="EdgeInfo.ContactFor"/>).</summary>
    public static string Contact(EdgeInfo edge, SipPeer toward)
    {
        var transport = toward.Transport;
        var (host, number) = edge.ContactFor(transport, toward.Host);
        var port = number.ToString(CultureInfo.InvariantCulture);
        return transport == SipTransportKind.Udp
            ? $"<sip:{host}:{port}>"
            : $"<sip:{host}:{port};transport={transport.ViaName().ToLowerInvariant()}>";
    }
}
