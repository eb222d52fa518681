using System.Diagnostics.Metrics;

namespace CallControl.Silo.Cdr;

/// <summary>
/// The CDR outbox's and journal's metrics, in meter <c>CallControl.Calls</c> beside the calls' (from the host's
/// <see cref="IMeterFactory"/>; exported by every silo). The outbox and the journal count nothing without one (tests).
/// </summary>
public sealed class CdrMetrics
{
    /// <summary>Creates the instruments in the host's meter.</summary>
    public CdrMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("CallControl.Calls");
        WriteFailures = meter.CreateCounter<long>("callcontrol.cdr.write_failures", description: "CDR writes that failed (first tries and outbox retries)");
        Pending = meter.CreateUpDownCounter<long>("callcontrol.cdr.outbox.pending", description: "CDRs in this silo's outbox, not yet in the CDR store");
        JournalPending = meter.CreateUpDownCounter<long>("callcontrol.cdr.journal.pending", description: "CDRs in this silo's journal, durable until the CDR store takes them");
        JournalFailures = meter.CreateCounter<long>("callcontrol.cdr.journal.failures", description: "CDR journal writes, removals and reads that failed (a failed write leaves the CDR in memory only)");
        JournalReplayed = meter.CreateCounter<long>("callcontrol.cdr.journal.replayed", description: "CDRs replayed from the journal at start-up into the outbox");
    }

    /// <summary>CDR writes the store refused (the first try, and each retry from the outbox).</summary>
    public Counter<long> WriteFailures { get; }

    /// <summary>CDRs waiting in this silo's outbox for the store.</summary>
    public UpDownCounter<long> Pending { get; }

    /// <summary>CDRs in this silo's journal: held for the store, durable across a crash.</summary>
    public UpDownCounter<long> JournalPending { get; }

    /// <summary>Journal operations the disk failed (label operation: write, remove, read), and writes over their budget.</summary>
    public Counter<long> JournalFailures { get; }

    /// <summary>CDRs read back from the journal at start-up, a predecessor's.</summary>
    public Counter<long> JournalReplayed { get; }

    /// <summary>Counts a journal operation the disk failed.</summary>
    public void JournalFailed(string operation) => JournalFailures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
