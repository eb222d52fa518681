using System.Diagnostics.Metrics;

namespace CallControl.Edge.WebSockets;

/// <summary>
/// SIP over WebSocket's metrics, in the edge's meter <c>CallControl.Calls</c> (<see cref="Routing.EdgeMetrics"/>):
/// <c>callcontrol.websocket.connections</c> (open now, by transport: ws, wss) and
/// <c>callcontrol.websocket.refused</c> (connections and messages refused, by transport and reason: subprotocol,
/// origin, not-websocket, not-serving, source-limit, total-limit, too-big, idle).
/// </summary>
public sealed class WebSocketMetrics
{
    private readonly UpDownCounter<long> _open;
    private readonly Counter<long> _refused;

    /// <summary>Creates the instruments in the meter the factory gives.</summary>
    public WebSocketMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Routing.EdgeMetrics.MeterName);
        _open = meter.CreateUpDownCounter<long>("callcontrol.websocket.connections", description: "SIP WebSocket connections open now, by transport");
        _refused = meter.CreateCounter<long>("callcontrol.websocket.refused", description: "SIP WebSocket connections refused or closed by the edge, by transport and reason");
    }

    internal void Opened(string transport) => _open.Add(1, new KeyValuePair<string, object?>("transport", transport));

    internal void Closed(string transport) => _open.Add(-1, new KeyValuePair<string, object?>("transport", transport));

    internal void Refused(string transport, string reason) => _refused.Add(1, new("transport", transport), new("reason", reason));
}
