using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>Where a call goes: the targets to try in order (the next on 408, 5xx or no response), and the route's name.</summary>
public sealed record RouteDecision(IReadOnlyList<SipUri> Targets, string RouteName)
{
    /// <summary>A route with one target.</summary>
    public RouteDecision(SipUri target, string routeName)
        : this([target], routeName)
    {
    }
}

/// <summary>Decides where a new call goes. The dialog grain asks; it owns the SIP, the router only decides.</summary>
public interface ICallRouter
{
    /// <summary>The route for a call to <paramref name="dialled"/> from <paramref name="caller"/>, or null when there is none (404).</summary>
    ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken);
}
