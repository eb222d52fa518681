using CallControl.Grains.Edges;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Calls to a registered user ring all of its bindings at once (<see cref="RingAllFlow"/>), each reached the way it
/// registered (<see cref="BindingTargets"/>): a flow of an edge that is known dead is left out while another binding
/// remains. Anything else goes on to the next router (the dial plan).
/// </summary>
public sealed class RegisteredUserRouter(IGrainFactory grains, ICallRouter next, LiveEdgeView? liveEdges = null) : ICallRouter
{
    /// <inheritdoc />
    public async ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
    {
        if (dialled.IsSip && dialled.User is not null)
        {
            var bindings = await grains.GetGrain<IRegistrarGrain>(AddressOfRecord.Key(dialled)).GetBindings();
            if (bindings.Length > 1 && liveEdges is not null && Array.Exists(bindings, BindingTargets.IsHeldByEdge))
            {
                var live = await liveEdges.GetAsync(cancellationToken);
                if (live is not null)
                {
                    var reachable = Array.FindAll(bindings, b => !BindingTargets.IsHeldByEdge(b) || live.Contains(b.Edge!.EdgeId));
                    bindings = reachable.Length > 0 ? reachable : bindings;
                }
            }

            if (bindings.Length > 0)
            {
                return new RouteDecision([.. bindings.Select(BindingTargets.For)], "registered") { Flow = RingAllFlow.Name };
            }
        }

        return await next.RouteAsync(dialled, caller, cancellationToken);
    }
}
