namespace CallControl.Edge.Routing;

/// <summary>
/// What the router needs beyond its collaborators: the drain switch, the Retry-After it gives with a 503, and the
/// admission control of new calls (null when it is disabled: every call is taken).
/// </summary>
public sealed record EdgeRouterSettings(DrainSwitch Drain, TimeSpan RetryAfter, AdmissionControl? Admission);
