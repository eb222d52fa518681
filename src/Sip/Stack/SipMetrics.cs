using System.Diagnostics.Metrics;

namespace CallControl.Sip.Stack;

/// <summary>The SIP stack's metrics (meter <c>CallControl.Sip</c>): rejected messages by reason, transactions by kind, datagrams dropped by transport.</summary>
public static class SipMetrics
{
    public const string MeterName = "CallControl.Sip";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Messages rejected at the stack's boundary, by reason.</summary>
    public static readonly Counter<long> Rejected = Meter.CreateCounter<long>("callcontrol.sip.rejected", description: "Messages rejected by the parser, by reason");

    /// <summary>Transactions created, by kind (server/client) and method.</summary>
    public static readonly Counter<long> Transactions = Meter.CreateCounter<long>("callcontrol.sip.transactions", description: "Transactions created, by kind and method");

    /// <summary>Datagrams dropped because the process's receive queue for their kind was full, by transport.</summary>
    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("callcontrol.sip.dropped", description: "Datagrams dropped because the receive queue for their kind was full, by transport");
}
