namespace CallControl.Edge.Routing;

/// <summary>
/// Whether this edge is draining: set once when the host begins to stop (<see cref="Hosting.EdgeDrain"/>), read by
/// the router for every new request. From then on the edge takes no new calls or registrations (503 with
/// Retry-After, so a caller or the load balancer in front tries another edge) and fails its OPTIONS probe, while
/// in-dialog requests and open transactions are still served.
/// </summary>
public sealed class DrainSwitch
{
    private volatile bool _draining;

    /// <summary>True once the drain has begun.</summary>
    public bool IsDraining => _draining;

    /// <summary>Begins the drain; there is no way back (a draining process is on its way out).</summary>
    public void Begin() => _draining = true;
}
