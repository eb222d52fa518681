namespace CallControl.Grains.Routing;

/// <summary>
/// Finds a route's trunk credentials by the route's name, when a trunk challenges one of the route's calls. The call
/// keeps only the route's name (<c>DialogState.Route</c>), so a secret is read where the route is kept, at the moment
/// it is needed, and never stored with a call.
/// </summary>
public interface IRouteCredentials
{
    /// <summary>The credentials of route <paramref name="route"/>, or null when it has none (or no longer exists).</summary>
    ValueTask<TrunkCredentials?> FindAsync(string route, CancellationToken cancellationToken);
}
