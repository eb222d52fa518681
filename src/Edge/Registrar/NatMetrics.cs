using System.Diagnostics.Metrics;

namespace CallControl.Edge.Registrar;

/// <summary>
/// The keep-alives' metrics, in the edge's meter <c>CallControl.Calls</c> (<see cref="Routing.EdgeMetrics"/>):
/// <c>callcontrol.nat.flows</c> (flows kept open now), <c>callcontrol.nat.keepalives</c> (by outcome: sent, answered,
/// failed) and <c>callcontrol.nat.flows.ended</c> (by reason: failed, expired, refused).
/// </summary>
internal sealed class NatMetrics
{
    private readonly Counter<long> _keepAlives;
    private readonly Counter<long> _ended;

    /// <summary>Creates the instruments; <paramref name="flows"/> is read at each collection.</summary>
    public NatMetrics(IMeterFactory meterFactory, Func<int> flows)
    {
        var meter = meterFactory.Create(Routing.EdgeMetrics.MeterName);
        meter.CreateObservableGauge("callcontrol.nat.flows", flows, description: "NATed UDP flows this edge keeps open with keep-alives");
        _keepAlives = meter.CreateCounter<long>("callcontrol.nat.keepalives", description: "Keep-alives to NATed flows, by outcome: sent, answered (an OPTIONS got any response), ignored (an answer for a flow no longer kept), failed (sent and never answered, on a flow then found dead)");
        _ended = meter.CreateCounter<long>("callcontrol.nat.flows.ended", description: "Flows no longer kept open, by reason: failed (keep-alives unanswered; the registrar told), expired (registration over), refused (table full, never kept)");
    }

    /// <summary><paramref name="count"/> keep-alives with <paramref name="outcome"/>.</summary>
    public void KeepAlives(string outcome, int count = 1) => _keepAlives.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary><paramref name="count"/> flows ended for <paramref name="reason"/>.</summary>
    public void Ended(string reason, int count = 1) => _ended.Add(count, new KeyValuePair<string, object?>("reason", reason));
}
