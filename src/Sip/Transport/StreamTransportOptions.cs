namespace CallControl.Sip.Transport;

/// <summary>Limits for a stream transport (TCP or TLS). Defaults cite where they come from.</summary>
public sealed record StreamTransportOptions
{
    /// <summary>Most connections open at once, inbound and outbound; more are refused.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>
    /// A connection with no traffic this long is closed. RFC 5626 clients send CRLF keep-alives every 95–120 s
    /// (§4.4.1), so the default of 10 minutes never closes a living flow.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an outbound connect may take (RFC 3261 leaves it to the transport; 5 s is well under Timer B).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a TLS handshake may take before the connection is dropped.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
