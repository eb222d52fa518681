namespace CallControl.Edge.WebSockets;

/// <summary>
/// SIP over WebSocket (RFC 7118) on the edge, from <c>CallControl:Edge:WebSocket</c>; the ports are
/// <c>CallControl:Edge:WebSocketPort</c> and <c>SecureWebSocketPort</c>. Defaults cite where they come from.
/// </summary>
public sealed class EdgeWebSocketOptions
{
    /// <summary>
    /// The web origins whose pages may open a connection (<c>AllowedOrigins:0=https://app.example.com</c>), compared
    /// with the handshake's <c>Origin</c> header as scheme, host and port, case-insensitively. Empty (the default): any
    /// origin, and none (a softphone that is no browser sends none). A browser always sends its page's origin, so the
    /// list is what keeps another site's page from using a visitor's browser against the edge (RFC 6455 §10.2).
    /// </summary>
    public IList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Most WebSocket connections one edge holds, both ports together; more are refused (default 10,000, as TCP's).</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Most WebSocket connections one source address may hold, trusted or not (default 64, the border's
    /// <c>MaxConnectionsPerSource</c>). Raise it for a proxy in front that carries many browsers from one address.
    /// </summary>
    public int MaxConnectionsPerSource { get; set; } = 64;

    /// <summary>
    /// A connection that carries no SIP message this long is closed (default 10 min, as TCP's: JsSIP and SIP.js
    /// re-register every 600 s by default, so a registered browser is never idle that long).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the edge pings a connection (WebSocket ping, answered by the browser's pong); default 30 s,
    /// under the 60 s that proxies and NATs commonly allow a silent TCP connection.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A ping unanswered this long closes the connection (default 20 s); 0: pongs are not awaited.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The largest SIP message a client may send, in bytes (default 65,535, the parser's limit: a UDP datagram's). A
    /// bigger one closes the connection with 1009 (message too big) as soon as its size passes the limit, before it is
    /// read whole.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 65_535;

    /// <summary>How long the TLS handshake and the HTTP upgrade request may take (default 10 s, as TLS's).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
