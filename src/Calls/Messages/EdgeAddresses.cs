using System.Globalization;
using CallControl.Sip.Transport;

namespace CallControl.Calls;

/// <summary>The Via and Contact values that name an edge, for the messages grains build.</summary>
internal static class EdgeAddresses
{
    /// <summary>"SIP/2.0/UDP host:port;branch=...;rport".</summary>
    public static string Via(EdgeInfo edge, SipTransportKind transport, string branch)
        => $"SIP/2.0/{transport.ViaName()} {edge.Host}:{edge.PortFor(transport).ToString(CultureInfo.InvariantCulture)};branch={branch};rport";

    /// <summary>"&lt;sip:host:port;transport=tcp&gt;" (no transport parameter for UDP), at the edge's public address
    /// when it has one (<see cref="EdgeInfo.ContactFor"/>).</summary>
    public static string Contact(EdgeInfo edge, SipTransportKind transport)
    {
        var (host, number) = edge.ContactFor(transport);
        var port = number.ToString(CultureInfo.InvariantCulture);
        return transport == SipTransportKind.Udp
            ? $"<sip:{host}:{port}>"
            : $"<sip:{host}:{port};transport={transport.ViaName().ToLowerInvariant()}>";
    }
}
