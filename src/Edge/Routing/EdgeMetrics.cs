using System.Diagnostics.Metrics;

namespace CallControl.Edge.Routing;

/// <summary>
/// The edge's call metrics, in the meter <c>CallControl.Calls</c> beside the silos' (src/Grains/Dialogs/CallMetrics.cs):
/// a call the edge refuses is a call outcome, and it never reaches a grain to be counted there.
/// </summary>
internal static class EdgeMetrics
{
    public const string MeterName = "CallControl.Calls";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RefusedCalls = Meter.CreateCounter<long>("callcontrol.calls.refused", description: "New calls (INVITEs) the edge refused before any grain saw them, by reason and signal");

    private static readonly Counter<long> KeptMessages = Meter.CreateCounter<long>("callcontrol.edge.messages.kept", description: "Messages the edge kept because their grain said it needs them not (an empty ACK of a 2xx, the answer to a BYE or CANCEL at a call's end): each a grain call spared");

    /// <summary>A message kept at the edge (<see cref="TransactionNotes"/>): <paramref name="message"/> is ack, response or failure.</summary>
    public static void Kept(string message) => KeptMessages.Add(1, new KeyValuePair<string, object?>("message", message));

    /// <summary>A new call refused for overload; <paramref name="signal"/> says which signal refused it (latency, in_flight).</summary>
    public static void Refused(string signal) => RefusedCalls.Add(1, new("reason", "overload"), new("signal", signal));
}
