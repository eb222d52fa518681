using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>
/// The credentials of a node without PostgreSQL: <c>CallControl:Routing:Routes:N:Auth</c> by route name, and
/// <c>DefaultTargetAuth</c> for the default target's calls (route <c>default</c>, <see cref="DefaultTargetRouter"/>).
/// </summary>
public sealed class ConfiguredRouteCredentials(IOptions<RoutingOptions> options) : IRouteCredentials
{
    /// <inheritdoc />
    public ValueTask<TrunkCredentials?> FindAsync(string route, CancellationToken cancellationToken)
        => ValueTask.FromResult(Find(options.Value, route));

    /// <summary>A configured route's credentials by name; else, for the default target's route, <c>DefaultTargetAuth</c>'s.</summary>
    public static TrunkCredentials? Find(RoutingOptions options, string route)
    {
        if (options.Routes.Find(r => r.Name == route) is { } configured)
        {
            return configured.Auth?.ToCredentials();
        }

        return route == DefaultTargetRouter.RouteName ? options.DefaultTargetAuth?.ToCredentials() : null;
    }
}
