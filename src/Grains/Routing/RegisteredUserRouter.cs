using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Routing;

/// <summary>
/// Calls to a registered user ring all of its bindings at once (<see cref="RingAllFlow"/>); each binding keeps the
/// edge and connection its REGISTER came through. Anything else goes on to the next router (the dial plan).
/// </summary>
public sealed class RegisteredUserRouter(IGrainFactory grains, ICallRouter next) : ICallRouter
{
    /// <inheritdoc />
    public async ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
    {
        if (dialled.IsSip && dialled.User is not null)
        {
            var bindings = await grains.GetGrain<IRegistrarGrain>(AddressOfRecord.Key(dialled)).GetBindings();
            if (bindings.Length > 0)
            {
                return new RouteDecision([.. bindings.Select(ToTarget)], "registered") { Flow = RingAllFlow.Name };
            }
        }

        return await next.RouteAsync(dialled, caller, cancellationToken);
    }

    /// <summary>A UDP binding is reached at its Contact; a TCP or TLS one over the connection it registered on.</summary>
    private static DialTarget ToTarget(RegistrarBinding binding) => binding.Source.Transport == SipTransportKind.Udp
        ? new DialTarget(binding.Contact)
        : new DialTarget(binding.Contact) { Hop = binding.Source, HopEdge = binding.Edge };
}
