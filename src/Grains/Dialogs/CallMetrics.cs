using CallControl.Calls;
using System.Diagnostics.Metrics;

namespace CallControl.Grains.Dialogs;

/// <summary>The call metrics (meter <c>CallControl.Calls</c>): exported by every silo's /metrics.</summary>
internal static class CallMetrics
{
    public const string MeterName = "CallControl.Calls";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>New calls (INVITEs that started a dialog grain's call).</summary>
    public static readonly Counter<long> Attempts = Meter.CreateCounter<long>("callcontrol.call.attempts", description: "Call attempts (initial INVITEs)");

    /// <summary>Calls routed and not yet ended, on this silo.</summary>
    public static readonly UpDownCounter<long> Active = Meter.CreateUpDownCounter<long>("callcontrol.calls.active", description: "Calls in progress on this silo");

    /// <summary>
    /// Answered calls parked (no activation; see DialogGrain.Park): +1 on the silo that parks one, −1 on the silo its
    /// next message or wake-up reactivates it on, so only the sum over the silos counts parked calls.
    /// </summary>
    public static readonly UpDownCounter<long> Parked = Meter.CreateUpDownCounter<long>("callcontrol.calls.parked", description: "Answered calls parked without an activation (sum over silos)");

    /// <summary>Parked calls reactivated (each costs a state read).</summary>
    public static readonly Counter<long> Unparks = Meter.CreateCounter<long>("callcontrol.call.unparks", description: "Parked calls reactivated by a message or their maximum-duration wake-up");

    /// <summary>INVITE to first provisional and to answer, in seconds (tag milestone).</summary>
    public static readonly Histogram<double> Setup = Meter.CreateHistogram<double>(
        "callcontrol.call.setup.duration", unit: "s", description: "INVITE to first 18x (milestone=ringing) and to 200 (milestone=answer)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    /// <summary>Final responses the caller got, by code and class (2xx..6xx).</summary>
    public static readonly Counter<long> FinalResponses = Meter.CreateCounter<long>("callcontrol.call.final_responses", description: "Final responses to callers' INVITEs, by code and class");

    /// <summary>State writes (or clears) the store refused for an outage, kept in memory and retried from a grain timer.</summary>
    public static readonly Counter<long> StateWritesDeferred = Meter.CreateCounter<long>("callcontrol.state.writes_deferred", description: "Grain state writes deferred because the store was unavailable");

    /// <summary>CDR writes the store refused (the first try, and each retry from the outbox).</summary>
    public static readonly Counter<long> CdrWriteFailures = Meter.CreateCounter<long>("callcontrol.cdr.write_failures", description: "CDR writes that failed (first tries and outbox retries)");

    /// <summary>CDRs waiting in this silo's outbox for the store.</summary>
    public static readonly UpDownCounter<long> CdrsPending = Meter.CreateUpDownCounter<long>("callcontrol.cdr.outbox.pending", description: "CDRs in this silo's outbox, not yet in the CDR store");

    /// <summary>Messages a call's timer started that went out through another edge, the call's own being dead (EdgeDispatch).</summary>
    public static readonly Counter<long> MessagesRerouted = Meter.CreateCounter<long>("callcontrol.call.messages.rerouted", description: "Messages a call timer started that went out through another live edge because the call's own edge was dead");

    /// <summary>Messages a grain sent on its own that no edge took: bound to a dead edge's connection, or no live edge answered.</summary>
    public static readonly Counter<long> MessagesLost = Meter.CreateCounter<long>("callcontrol.call.messages.lost", description: "Messages a grain started on its own that no edge could send, by reason (connection, no_edge)");

    public static void Rerouted(int count) => MessagesRerouted.Add(count);

    public static void Lost(int count, string reason) => MessagesLost.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public static void Final(int status) => FinalResponses.Add(1, new("code", status), new("class", $"{status / 100}xx"));
}
