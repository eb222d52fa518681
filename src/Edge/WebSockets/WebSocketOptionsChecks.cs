using CallControl.Edge.Hosting;
using CallControl.Sip.Parsing;

namespace CallControl.Edge.WebSockets;

/// <summary>The WebSocket part of the edge's validation (<see cref="EdgeOptionsValidator"/>): each failure names its key.</summary>
internal static class WebSocketOptionsChecks
{
    public static void Validate(EdgeOptions options, List<string> failures)
    {
        const string s = EdgeOptions.Section;
        var ws = options.WebSocket;
        var runsWs = options.Runs("ws");
        var runsWss = options.Runs("wss");
        if (options.WebSocketPort is < 0 or > 65535 || (runsWs && options.WebSocketPort != 0 && Taken(options, options.WebSocketPort, wss: false)))
        {
            failures.Add($"{s}:WebSocketPort: {options.WebSocketPort} is not a port number distinct from the edge's other ports (0 picks a free one).");
        }

        if (options.SecureWebSocketPort is < 0 or > 65535 || (runsWss && options.SecureWebSocketPort != 0 && Taken(options, options.SecureWebSocketPort, wss: true)))
        {
            failures.Add($"{s}:SecureWebSocketPort: {options.SecureWebSocketPort} is not a port number distinct from the edge's other ports (0 picks a free one).");
        }

        for (var i = 0; i < ws.AllowedOrigins.Count; i++)
        {
            if (!OriginPolicy.TryNormalize(ws.AllowedOrigins[i], out _))
            {
                failures.Add($"{s}:WebSocket:AllowedOrigins:{i}: '{ws.AllowedOrigins[i]}' is not a web origin (scheme://host[:port], e.g. https://app.example.com).");
            }
        }

        if (ws.MaxConnections < 1)
        {
            failures.Add($"{s}:WebSocket:MaxConnections must be at least 1 (default 10000); got {ws.MaxConnections}.");
        }

        if (ws.MaxConnectionsPerSource < 1)
        {
            failures.Add($"{s}:WebSocket:MaxConnectionsPerSource must be at least 1 (default 64); got {ws.MaxConnectionsPerSource}.");
        }

        if (ws.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{s}:WebSocket:IdleTimeout must be at least 1 s (default 00:10:00); got {ws.IdleTimeout}.");
        }

        if (ws.KeepAliveInterval < TimeSpan.FromSeconds(1) || ws.KeepAliveInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{s}:WebSocket:KeepAliveInterval must be between 1 s and 1 h (default 00:00:30); got {ws.KeepAliveInterval}.");
        }

        if (ws.KeepAliveTimeout < TimeSpan.Zero || ws.KeepAliveTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{s}:WebSocket:KeepAliveTimeout must be between 0 and 1 h (default 00:00:20); got {ws.KeepAliveTimeout}.");
        }

        // Beyond the parser's limit a message would be read whole only to be refused as too large.
        if (ws.MaxMessageBytes < 1024 || ws.MaxMessageBytes > SipLimits.MaxMessageBytes)
        {
            failures.Add($"{s}:WebSocket:MaxMessageBytes must be between 1024 and {SipLimits.MaxMessageBytes}; got {ws.MaxMessageBytes}.");
        }

        if (ws.HandshakeTimeout < TimeSpan.FromMilliseconds(100) || ws.HandshakeTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{s}:WebSocket:HandshakeTimeout must be between 100 ms and 5 min (default 00:00:10); got {ws.HandshakeTimeout}.");
        }
    }

    // A WebSocket port may not be a TCP port the edge already listens on (TCP's Port, TlsPort, the other WebSocket port).
    private static bool Taken(EdgeOptions options, int port, bool wss)
        => (options.Runs("tcp") && port == options.Port)
            || (options.Runs("tls") && port == options.TlsPort)
            || (wss ? options.Runs("ws") && port == options.WebSocketPort : options.Runs("wss") && port == options.SecureWebSocketPort);
}
