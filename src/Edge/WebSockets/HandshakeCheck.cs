namespace CallControl.Edge.WebSockets;

/// <summary>Why a WebSocket handshake was refused: a closed list, each with its HTTP answer (<see cref="HandshakeCheck.StatusCode"/>).</summary>
internal enum HandshakeRefusal
{
    None,

    /// <summary>A plain HTTP request, not an upgrade to WebSocket.</summary>
    NotWebSocket,

    /// <summary>The client did not offer the <c>sip</c> subprotocol (RFC 7118 §4.1 requires it).</summary>
    NoSipSubprotocol,

    /// <summary>The page's origin is not an allowed one.</summary>
    Origin,

    /// <summary>The edge is not serving yet, or is stopping.</summary>
    NotServing,
}

/// <summary>
/// Decides whether a WebSocket handshake becomes a SIP connection, from what its HTTP request says: plain code, so the
/// host only asks and answers. The subprotocol is matched case-sensitively, as RFC 6455 §4.1 says tokens are.
/// </summary>
internal static class HandshakeCheck
{
    /// <summary>The subprotocol of SIP over WebSocket (RFC 7118 §4.1, IANA's WebSocket Subprotocol Name Registry).</summary>
    public const string SubProtocol = "sip";

    public static HandshakeRefusal Judge(bool isWebSocket, IEnumerable<string> subProtocols, string? origin, OriginPolicy origins)
    {
        if (!isWebSocket)
        {
            return HandshakeRefusal.NotWebSocket;
        }

        if (!subProtocols.Contains(SubProtocol, StringComparer.Ordinal))
        {
            return HandshakeRefusal.NoSipSubprotocol;
        }

        return origins.Allows(origin) ? HandshakeRefusal.None : HandshakeRefusal.Origin;
    }

    /// <summary>
    /// The HTTP status of a refused handshake: 426 with <c>Upgrade: websocket</c> for a plain request (RFC 9110
    /// §15.5.22), 400 without the subprotocol (the client asked for something this server does not speak), 403 for an
    /// origin (RFC 6455 §4.2.2), 503 while not serving.
    /// </summary>
    public static int StatusCode(HandshakeRefusal refusal) => refusal switch
    {
        HandshakeRefusal.NotWebSocket => 426,
        HandshakeRefusal.NoSipSubprotocol => 400,
        HandshakeRefusal.Origin => 403,
        HandshakeRefusal.NotServing => 503,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "Not a refusal."),
    };

    /// <summary>The reason as metrics and logs name it.</summary>
    public static string Name(HandshakeRefusal refusal) => refusal switch
    {
        HandshakeRefusal.NotWebSocket => "not-websocket",
        HandshakeRefusal.NoSipSubprotocol => "subprotocol",
        HandshakeRefusal.Origin => "origin",
        HandshakeRefusal.NotServing => "not-serving",
        _ => "none",
    };
}
