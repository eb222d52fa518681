namespace CallControl.Sip.Transport;

/// <summary>
/// The transports a SIP message can travel over (RFC 3261 §18; TLS per §26.2; WebSocket per RFC 7118). Values are
/// append-only: grains persist them (<c>SipPeer</c>).
/// </summary>
public enum SipTransportKind : byte
{
    Udp,
    Tcp,
    Tls,

    /// <summary>SIP over WebSocket (RFC 7118): the edge accepts such connections (src/Edge/WebSockets), never opens one.</summary>
    Ws,

    /// <summary>SIP over secure WebSocket (RFC 7118): the edge accepts such connections (src/Edge/WebSockets), never opens one.</summary>
    Wss,
}

/// <summary>Names and properties of transports.</summary>
public static class SipTransportKinds
{
    /// <summary>
    /// True for stream transports: no retransmission timers, no size limit that pushes a request to TCP (RFC 3261
    /// §17.1.1.2, §18.1.1). A WebSocket is reliable too (RFC 7118 §5), though each message is one WebSocket message,
    /// not Content-Length framed.
    /// </summary>
    public static bool IsReliable(this SipTransportKind kind) => kind switch
    {
        SipTransportKind.Udp => false,
        SipTransportKind.Tcp or SipTransportKind.Tls or SipTransportKind.Ws or SipTransportKind.Wss => true,
        _ => throw Unknown(kind),
    };

    /// <summary>The Via transport token: "UDP", "TCP", "TLS", "WS", "WSS" (RFC 7118 §5.2).</summary>
    public static string ViaName(this SipTransportKind kind) => kind switch
    {
        SipTransportKind.Udp => "UDP",
        SipTransportKind.Tcp => "TCP",
        SipTransportKind.Tls => "TLS",
        SipTransportKind.Ws => "WS",
        SipTransportKind.Wss => "WSS",
        _ => throw Unknown(kind),
    };

    /// <summary>
    /// True when a node can open a flow of <paramref name="kind"/> toward a peer (UDP, TCP, TLS): what a route's target
    /// may name. False for the WebSocket kinds: a SIP WebSocket server (the edge) only accepts connections (RFC 7118
    /// §5), so a WebSocket peer is reached over the connection it opened, never dialled.
    /// </summary>
    public static bool IsImplemented(this SipTransportKind kind) => kind is SipTransportKind.Udp or SipTransportKind.Tcp or SipTransportKind.Tls;

    /// <summary>
    /// True when messages are framed by Content-Length in a byte stream (TCP, TLS: RFC 3261 §18.3, where it is
    /// mandatory); false where the transport frames each message itself (a UDP datagram, a WebSocket message: RFC 7118
    /// §5.1).
    /// </summary>
    public static bool IsStreamFramed(this SipTransportKind kind) => kind is SipTransportKind.Tcp or SipTransportKind.Tls;

    /// <summary>True for SIP over WebSocket, plain or secure (RFC 7118).</summary>
    public static bool IsWebSocket(this SipTransportKind kind) => kind is SipTransportKind.Ws or SipTransportKind.Wss;

    /// <summary>
    /// True when a URI naming <paramref name="named"/> can be reached over a flow of <paramref name="flow"/>: the same
    /// kind, or both WebSocket. A WebSocket client writes <c>;transport=ws</c> in its Contact over WSS too (JsSIP and
    /// SIP.js do; RFC 7118 §5.2 has the one parameter value), so its Contact names WS while its connection is WSS.
    /// </summary>
    public static bool SameFlowKind(this SipTransportKind named, SipTransportKind flow)
        => named == flow || (named.IsWebSocket() && flow.IsWebSocket());

    /// <summary>Reads a transport name (URI parameter or Via token), case-insensitively; none is UDP.</summary>
    public static bool TryParse(string? name, out SipTransportKind kind)
    {
        switch (name?.ToUpperInvariant())
        {
            case null or "" or "UDP":
                kind = SipTransportKind.Udp;
                return true;
            case "TCP":
                kind = SipTransportKind.Tcp;
                return true;
            case "TLS":
                kind = SipTransportKind.Tls;
                return true;
            case "WS":
                kind = SipTransportKind.Ws;
                return true;
            case "WSS":
                kind = SipTransportKind.Wss;
                return true;
            default:
                kind = SipTransportKind.Udp;
                return false;
        }
    }

    // Only a value cast from a number nobody defined gets here (a bad deserialization): say which, rather than guess UDP.
    private static ArgumentOutOfRangeException Unknown(SipTransportKind kind)
        => new(nameof(kind), kind, $"Not a SIP transport kind: {(byte)kind}.");
}
