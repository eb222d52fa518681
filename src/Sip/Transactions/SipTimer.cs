namespace CallControl.Sip.Transactions;

/// <summary>The timers of RFC 3261 Table 4 (C is a proxy's and has no place in a B2BUA), and RFC 6026's L and M.</summary>
public enum SipTimer : byte
{
    /// <summary>INVITE request retransmit (client, unreliable): T1, doubling.</summary>
    A,

    /// <summary>INVITE transaction timeout (client): 64×T1.</summary>
    B,

    /// <summary>Wait for response retransmits (client INVITE, Completed): ≥ 32 s unreliable, 0 reliable.</summary>
    D,

    /// <summary>Non-INVITE request retransmit (client, unreliable): T1 doubling to T2, then T2.</summary>
    E,

    /// <summary>Non-INVITE transaction timeout (client): 64×T1.</summary>
    F,

    /// <summary>INVITE response retransmit (server, unreliable): T1 doubling to T2.</summary>
    G,

    /// <summary>Wait for ACK receipt (server INVITE, Completed): 64×T1.</summary>
    H,

    /// <summary>Wait for ACK retransmits (server INVITE, Confirmed): T4 unreliable, 0 reliable.</summary>
    I,

    /// <summary>Wait for non-INVITE request retransmits (server, Completed): 64×T1 unreliable, 0 reliable.</summary>
    J,

    /// <summary>Wait for response retransmits (client non-INVITE, Completed): T4 unreliable, 0 reliable.</summary>
    K,

    /// <summary>Wait for INVITE retransmits after a 2xx (server, Accepted; RFC 6026): 64×T1.</summary>
    L,

    /// <summary>Wait for 2xx retransmits (client, Accepted; RFC 6026): 64×T1.</summary>
    M,

    /// <summary>The UAS core's 2xx retransmission until the ACK (RFC 3261 §13.3.1.4): T1 doubling to T2.</summary>
    Retransmit2xx,
}
