using System.Net;

namespace CallControl.Sip.Transport;

/// <summary>
/// Where a message came from or goes to: transport, address and, for stream transports, the connection
/// it arrived on (0: any, a new one is opened if none exists). Responses go back over the connection the
/// request came on (RFC 3261 §18.2.2).
/// </summary>
public readonly record struct SipEndPoint(SipTransportKind Transport, IPEndPoint Address, long ConnectionId = 0)
{
    /// <inheritdoc />
    public override string ToString() => ConnectionId == 0 ? $"{Transport.ViaName()}:{Address}" : $"{Transport.ViaName()}:{Address}#{ConnectionId}";
}
