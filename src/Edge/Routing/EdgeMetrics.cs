using System.Diagnostics.Metrics;

namespace CallControl.Edge.Routing;

/// <summary>
/// The edge's call metrics, in the meter <c>CallControl.Calls</c> beside the silos' (src/Grains/Dialogs/CallMetrics.cs):
/// a call the edge refuses is a call outcome, and it never reaches a grain to be counted there. Made from the host's
/// <see cref="IMeterFactory"/>, so the meter lives and dies with the host.
/// </summary>
public sealed class EdgeMetrics
{
    /// <summary>The meter's name, as exporters subscribe to it.</summary>
    public const string MeterName = "CallControl.Calls";

    private readonly Counter<long> _refusedCalls;
    private readonly Counter<long> _keptMessages;

    /// <summary>Creates the instruments in the meter the factory gives.</summary>
    public EdgeMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _refusedCalls = meter.CreateCounter<long>("callcontrol.calls.refused", description: "New calls (INVITEs) and registrations (REGISTERs) the edge refused before any grain saw them, by reason, signal and method");
        _keptMessages = meter.CreateCounter<long>("callcontrol.edge.messages.kept", description: "Messages the edge kept because their grain said it needs them not (an empty ACK of a 2xx, the answer to a BYE or CANCEL at a call's end): each a grain call spared");
    }

    /// <summary>A message kept at the edge (<see cref="TransactionNotes"/>): <paramref name="message"/> is ack, response or failure.</summary>
    public void Kept(string message) => _keptMessages.Add(1, new KeyValuePair<string, object?>("message", message));

    /// <summary>
    /// New work refused for overload: a call (<paramref name="method"/> INVITE) or a registration (REGISTER);
    /// <paramref name="signal"/> says which signal refused it (queue, latency, in_flight).
    /// </summary>
    public void Refused(string signal, string method = "INVITE") => _refusedCalls.Add(1, new("reason", "overload"), new("signal", signal), new("method", method));
}
