using CallControl.Sip.Headers;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>Routes every call to <see cref="RoutingOptions.DefaultTarget"/>: the embedded default's router.</summary>
public sealed class DefaultTargetRouter(IOptions<RoutingOptions> options) : ICallRouter
{
    private readonly SipUri _target = SipUri.Parse(options.Value.DefaultTarget);

    /// <inheritdoc />
    public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller, CancellationToken cancellationToken)
        => ValueTask.FromResult<RouteDecision?>(new RouteDecision(_target, "default"));
}
