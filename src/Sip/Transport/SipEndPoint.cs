using System.Net;

namespace CallControl.Sip.Transport;

/// <summary>
/// Where a message came from or goes to: transport, address and, for stream transports, the connection
/// it arrived on (0: any, a new one is opened if none exists). Responses go back over the connection the
/// request came on (RFC 3261 §18.2.2).
/// </summary>
/// <param name="Transport">The transport.</param>
/// <param name="Address">The resolved socket address.</param>
/// <param name="ConnectionId">For stream transports, the connection to use; 0: any.</param>
/// <param name="HostName">
/// For a destination, the host the route or Request-URI named (a DNS name, or an IP literal) before it was resolved to
/// <paramref name="Address"/>: a TLS connection opened for it sends it as SNI and checks the server's certificate
/// against it (RFC 5922 §7.2). Null for a source, or when nothing named it (the address's IP is checked then).
/// </param>
public readonly record struct SipEndPoint(SipTransportKind Transport, IPEndPoint Address, long ConnectionId = 0, string? HostName = null)
{
    /// <inheritdoc />
    public override string ToString() => ConnectionId == 0 ? $"{Transport.ViaName()}:{Address}" : $"{Transport.ViaName()}:{Address}#{ConnectionId}";
}
