using CallControl.Grains.Flows;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Where a transfer's target goes: through the dial plan as any call's (a registered user's bindings, a route's trunk,
/// the default target), its targets located by DNS as any dial's. The route's flow does not run: a transfer is not a
/// new call, and its targets ring together.
/// </summary>
public static class TransferTargets
{
    /// <summary>The located targets for <paramref name="target"/>, called from <paramref name="transferee"/>; empty when it has no route or is no SIP URI.</summary>
    public static async ValueTask<IReadOnlyList<DialTarget>> LocateAsync(ICallRouter router, DialTargetLocator locator, string target, SipUri transferee, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(locator);
        if (!SipUri.TryParse(target, out var uri) || await router.RouteAsync(uri, transferee, cancellationToken).ConfigureAwait(false) is not { Targets.Count: > 0 } route)
        {
            return [];
        }

        var located = await locator.LocateAsync(new Dial(route.Targets, DialMode.Parallel, null), cancellationToken).ConfigureAwait(false);
        return ((Dial)located).Targets;
    }
}
