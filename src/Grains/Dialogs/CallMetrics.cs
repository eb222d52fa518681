using System.Diagnostics.Metrics;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// The call metrics (meter <c>CallControl.Calls</c>, from the host's <see cref="IMeterFactory"/>): exported by every
/// silo's /metrics. One per silo (a singleton of <c>AddCallControlGrains</c>).
/// </summary>
public sealed class CallMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CallControl.Calls";

    /// <summary>Creates the instruments in the host's meter.</summary>
    public CallMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Attempts = meter.CreateCounter<long>("callcontrol.call.attempts", description: "Call attempts (initial INVITEs)");
        Active = meter.CreateUpDownCounter<long>("callcontrol.calls.active", description: "Calls in progress on this silo");
        Parked = meter.CreateUpDownCounter<long>("callcontrol.calls.parked", description: "Answered calls parked without an activation (sum over silos)");
        Unparks = meter.CreateCounter<long>("callcontrol.call.unparks", description: "Parked calls reactivated by a message or their maximum-duration wake-up");
        Setup = meter.CreateHistogram<double>(
            "callcontrol.call.setup.duration", unit: "s", description: "INVITE to first 18x (milestone=ringing) and to 200 (milestone=answer)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        FinalResponses = meter.CreateCounter<long>("callcontrol.call.final_responses", description: "Final responses to callers' INVITEs, by code and class");
        StateWritesDeferred = meter.CreateCounter<long>("callcontrol.state.writes_deferred", description: "Grain state writes deferred because the store was unavailable");
        MessagesRerouted = meter.CreateCounter<long>("callcontrol.call.messages.rerouted", description: "Messages a call timer started that went out through another live edge because the call's own edge was dead");
        MessagesLost = meter.CreateCounter<long>("callcontrol.call.messages.lost", description: "Messages a grain started on its own that no edge could send, by reason (connection, no_edge)");
    }

    /// <summary>New calls (INVITEs that started a dialog grain's call).</summary>
    public Counter<long> Attempts { get; }

    /// <summary>Calls routed and not yet ended, on this silo.</summary>
    public UpDownCounter<long> Active { get; }

    /// <summary>
    /// Answered calls parked (no activation; see DialogGrain.Park): +1 on the silo that parks one, −1 on the silo its
    /// next message or wake-up reactivates it on, so only the sum over the silos counts parked calls.
    /// </summary>
    public UpDownCounter<long> Parked { get; }

    /// <summary>Parked calls reactivated (each costs a state read).</summary>
    public Counter<long> Unparks { get; }

    /// <summary>INVITE to first provisional and to answer, in seconds (tag milestone).</summary>
    public Histogram<double> Setup { get; }

    /// <summary>Final responses the caller got, by code and class (2xx..6xx).</summary>
    public Counter<long> FinalResponses { get; }

    /// <summary>State writes (or clears) the store refused for an outage, kept in memory and retried from a grain timer.</summary>
    public Counter<long> StateWritesDeferred { get; }

    /// <summary>Messages a call's timer started that went out through another edge, the call's own being dead (EdgeDispatch).</summary>
    public Counter<long> MessagesRerouted { get; }

    /// <summary>Messages a grain sent on its own that no edge took: bound to a dead edge's connection, or no live edge answered.</summary>
    public Counter<long> MessagesLost { get; }

    /// <summary>Counts messages sent through another edge.</summary>
    public void Rerouted(int count) => MessagesRerouted.Add(count);

    /// <summary>Counts messages no edge took, by reason.</summary>
    public void Lost(int count, string reason) => MessagesLost.Add(count, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Counts the final response a caller's INVITE got.</summary>
    public void Final(int status) => FinalResponses.Add(1, new("code", status), new("class", $"{status / 100}xx"));
}
