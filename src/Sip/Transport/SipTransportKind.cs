namespace CallControl.Sip.Transport;

/// <summary>The transports a SIP message can travel over (RFC 3261 §18; TLS per §26.2).</summary>
public enum SipTransportKind : byte
{
    Udp,
    Tcp,
    Tls,
}

/// <summary>Names and properties of transports.</summary>
public static class SipTransportKinds
{
    /// <summary>True for stream transports: no retransmission timers, Content-Length framing (RFC 3261 §17.1.1.2, §18.3).</summary>
    public static bool IsReliable(this SipTransportKind kind) => kind != SipTransportKind.Udp;

    /// <summary>The Via transport token: "UDP", "TCP", "TLS".</summary>
    public static string ViaName(this SipTransportKind kind) => kind switch
    {
        SipTransportKind.Tcp => "TCP",
        SipTransportKind.Tls => "TLS",
        _ => "UDP",
    };

    /// <summary>Reads a transport name (URI parameter or Via token), case-insensitively.</summary>
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
            default:
                kind = SipTransportKind.Udp;
                return false;
        }
    }
}
