using System.Diagnostics.Metrics;

namespace CallControl.Silo.Cdr;

/// <summary>The CDR journal's metrics, in meter <c>CallControl.Calls</c> beside the outbox's (exported by every silo).</summary>
internal static class CdrJournalMetrics
{
    private static readonly Meter Meter = new("CallControl.Calls");

    /// <summary>CDRs in this silo's journal: held for the store, durable across a crash.</summary>
    public static readonly UpDownCounter<long> Pending = Meter.CreateUpDownCounter<long>("callcontrol.cdr.journal.pending", description: "CDRs in this silo's journal, durable until the CDR store takes them");

    /// <summary>Journal operations the disk failed (label operation: write, remove, read), and writes over their budget.</summary>
    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("callcontrol.cdr.journal.failures", description: "CDR journal writes, removals and reads that failed (a failed write leaves the CDR in memory only)");

    /// <summary>CDRs read back from the journal at start-up, a predecessor's.</summary>
    public static readonly Counter<long> Replayed = Meter.CreateCounter<long>("callcontrol.cdr.journal.replayed", description: "CDRs replayed from the journal at start-up into the outbox");

    public static void Failed(string operation) => Failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
