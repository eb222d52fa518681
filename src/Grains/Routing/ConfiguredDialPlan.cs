using CallControl.Sip.Headers;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>
/// The dial plan of a node without PostgreSQL: <see cref="RoutingOptions.Routes"/> by longest prefix of the dialled
/// number (validated at start-up), else the default target.
/// </summary>
public sealed class ConfiguredDialPlan(IOptions<RoutingOptions> options, DefaultTargetRouter fallback) : ICallRouter
{
    private readonly DialPlanRoute[] _routes = [.. options.Value.Routes.Select(r => r.ToRoute())];

    /// <inheritdoc />
    public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
        => DialPlanRoute.LongestMatch(_routes, dialled.User ?? "") is { } route
            ? ValueTask.FromResult<RouteDecision?>(route.ToDecision())
            : fallback.RouteAsync(dialled, caller, cancellationToken);
}
