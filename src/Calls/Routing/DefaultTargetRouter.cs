using CallControl.Sip.Headers;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>Routes every call to <see cref="RoutingOptions.DefaultTarget"/>: the embedded default's router.</summary>
public sealed class DefaultTargetRouter(IOptions<RoutingOptions> options) : ICallRouter
{
    /// <summary>The route name its calls carry (their CDRs' <c>route</c>, and where their credentials are looked up).</summary>
    public const string RouteName = "default";

    private readonly SipUri _target = SipUri.Parse(options.Value.DefaultTarget);

    /// <inheritdoc />
    public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
        => ValueTask.FromResult<RouteDecision?>(new RouteDecision(_target, RouteName));
}
