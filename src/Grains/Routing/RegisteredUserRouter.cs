using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Calls to a registered user go to its bindings (most recent first, tried in turn; each keeps the edge and
/// connection its REGISTER came through); anything else goes on to the next router (the dial plan).
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
                return new RouteDecision([.. bindings.Select(b => SipUri.Parse(b.Contact))], "registered")
                {
                    Hops = [.. bindings.Select(b => b.Source.Transport == Sip.Transport.SipTransportKind.Udp ? null : b.Source)],
                };
            }
        }

        return await next.RouteAsync(dialled, caller, cancellationToken);
    }
}
