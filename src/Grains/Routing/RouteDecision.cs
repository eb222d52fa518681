using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>Where a call goes: the callee leg's target URI and the route's name (for the CDR).</summary>
public sealed record RouteDecision(SipUri Target, string RouteName);

/// <summary>Decides where a new call goes. The dialog grain asks; it owns the SIP, the router only decides.</summary>
public interface ICallRouter
{
    /// <summary>The route for a call to <paramref name="dialled"/> from <paramref name="caller"/>, or null when there is none (404).</summary>
    ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken);
}
