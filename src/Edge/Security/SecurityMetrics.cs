using System.Diagnostics.Metrics;

namespace CallControl.Edge.Security;

/// <summary>
/// The border's metrics, meter <c>CallControl.Security</c>: <c>callcontrol.security.events</c> (one per security log
/// line, by event), <c>callcontrol.security.dropped</c> (messages and connections dropped, by reason) and
/// <c>callcontrol.security.banned_sources</c> (bans this edge enforces now).
/// </summary>
public sealed class SecurityMetrics
{
    /// <summary>The meter's name, as exporters subscribe to it.</summary>
    public const string MeterName = "CallControl.Security";

    private readonly Counter<long> _events;
    private readonly Counter<long> _dropped;

    /// <summary>Creates the instruments; <paramref name="bannedSources"/> is read at each collection.</summary>
    public SecurityMetrics(IMeterFactory meterFactory, Func<int> bannedSources)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _events = meter.CreateCounter<long>("callcontrol.security.events", description: "Security events (one per security log line): acl, scanner, flood, auth-failure, banned, unbanned");
        _dropped = meter.CreateCounter<long>("callcontrol.security.dropped", description: "Messages and connections the border dropped unanswered, by reason: acl, banned, flood, scanner, connections");
        meter.CreateObservableGauge<int>("callcontrol.security.banned_sources", bannedSources, description: "Sources this edge drops everything from now");
    }

    /// <summary>A security event of kind <paramref name="securityEvent"/>.</summary>
    public void Event(string securityEvent) => _events.Add(1, new KeyValuePair<string, object?>("event", securityEvent));

    /// <summary>A message or connection dropped for <paramref name="reason"/>.</summary>
    public void Dropped(string reason) => _dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
