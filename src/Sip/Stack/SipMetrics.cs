using System.Diagnostics.Metrics;

namespace CallControl.Sip.Stack;

/// <summary>
/// The SIP stack's metrics (meter <c>CallControl.Sip</c>): rejected messages by reason, transactions by kind, datagrams
/// dropped by transport. Made from the host's <see cref="IMeterFactory"/>, so the meter lives and dies with the host
/// (and two hosts in one process, as in tests, count apart). The parts that count take it as optional: the stack run
/// without a host (unit tests, fuzzing, benchmarks) counts nothing.
/// </summary>
public sealed class SipMetrics
{
    /// <summary>The meter's name, as exporters subscribe to it.</summary>
    public const string MeterName = "CallControl.Sip";

    private readonly Counter<long> _rejected;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _dropped;

    /// <summary>Creates the instruments in the meter the factory gives.</summary>
    public SipMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _rejected = meter.CreateCounter<long>("callcontrol.sip.rejected", description: "Messages rejected by the parser, by reason");
        _transactions = meter.CreateCounter<long>("callcontrol.sip.transactions", description: "Transactions created, by kind and method");
        _dropped = meter.CreateCounter<long>("callcontrol.sip.dropped", description: "Datagrams dropped because the receive queue for their kind was full, by transport");
    }

    /// <summary>A message rejected at the stack's boundary, for <paramref name="reason"/>.</summary>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A transaction created: <paramref name="kind"/> is server or client.</summary>
    public void TransactionCreated(string kind, string method) => _transactions.Add(1, new("kind", kind), new("method", method));

    /// <summary>A datagram dropped because the process's receive queue for its kind was full.</summary>
    public void Dropped(string transport) => _dropped.Add(1, new KeyValuePair<string, object?>("transport", transport));
}
