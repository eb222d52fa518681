using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>Where a call goes: the targets to try in order (the next on 408, 5xx or no response), and the route's name.</summary>
public sealed record RouteDecision(IReadOnlyList<SipUri> Targets, string RouteName)
{
    /// <summary>
    /// Per target, the peer to send through when it is not the URI's own address: a TCP or TLS binding goes back
    /// over the connection its REGISTER came on (RFC 5626's idea, RFC 3261 §18.1.1 reuse). Null: resolve the URI.
    /// </summary>
    public IReadOnlyList<SipPeer?>? Hops { get; init; }

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
