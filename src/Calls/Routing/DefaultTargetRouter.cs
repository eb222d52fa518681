using CallControl.Sip.Headers;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>Routes every call to <see cref="RoutingOptions.DefaultTarget"/>: the embedded default's router.</summary>
public sealed class DefaultTargetRouter(IOptions<RoutingOptions> options) : ICallRouter
{
    /// <summary>The route name its calls carry (their CDRs' <c>route</c>, and where their credentials are looked up).</summary>
    public const string RouteName = "default";

    // One decision for every call: its policy is built (and its lists allocated) once.
    private readonly RouteDecision _decision = new(SipUri.Parse(options.Value.DefaultTarget), RouteName) { Policy = options.Value.DefaultTargetPolicy() };

    /// <inheritdoc />
    public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
        => ValueTask.FromResult<RouteDecision?>(_decision);
}
