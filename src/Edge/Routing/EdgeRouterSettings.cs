namespace CallControl.Edge.Routing;

/// <summary>What the router needs beyond its collaborators: the drain switch, and the Retry-After it gives with a 503.</summary>
public sealed record EdgeRouterSettings(DrainSwitch Drain, TimeSpan RetryAfter);
