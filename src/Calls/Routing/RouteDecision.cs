using CallControl.Grains.Flows;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Where a call goes: the route's targets and the call flow that dials them (by default the failover flow:
/// in order, the next on 408, 5xx or no response), with the flow's parameters, and the route's name.
/// </summary>
public sealed record RouteDecision(IReadOnlyList<DialTarget> Targets, string RouteName)
{
    /// <summary>The flow that decides the call (a name registered with <c>AddCallFlow</c>).</summary>
    public string Flow { get; init; } = DefaultFlow;

    /// <summary>The flow of a route that names none: the built-in failover flow's registered name.</summary>
    public const string DefaultFlow = "failover";

    /// <summary>The flow's parameters: the JSON of the route's row, or null.</summary>
    public string? FlowParameters { get; init; }

    /// <summary>The callee's media profile when the call's media is anchored (the route's <c>media</c>; plain RTP by default).</summary>
    public MediaProfile Media { get; init; }

    /// <summary>The route's SIP normalisation (header policy, identity rewrite, number rules), kept in the call's state.</summary>
    public RoutePolicy Policy { get; init; } = RoutePolicy.Default;

    /// <summary>A route with one target.</summary>
    public RouteDecision(SipUri target, string routeName)
        : this([new DialTarget(target.ToString())], routeName)
    {
    }

    /// <summary>A route whose targets are tried in order.</summary>
    public static RouteDecision Sequential(IEnumerable<SipUri> targets, string routeName)
        => new([.. targets.Select(t => new DialTarget(t.ToString()))], routeName);
}

/// <summary>Decides where a new call goes. The dialog grain asks; it owns the SIP, the router only decides.</summary>
public interface ICallRouter
{
    /// <summary>The route for a call to <paramref name="dialled"/> from <paramref name="caller"/>, or null when there is none (404).</summary>
    ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken);
}
