namespace CallControl.Edge.Routing;

/// <summary>
/// What the router needs beyond its collaborators: the drain switch, the Retry-After it gives with a 503, the
/// admission control of new calls (null when it is disabled: every call is taken), how it waits for grains, and where
/// it counts the messages it keeps (none: not counted).
/// </summary>
public sealed record EdgeRouterSettings(DrainSwitch Drain, TimeSpan RetryAfter, AdmissionControl? Admission, GrainCallPolicy GrainCalls, EdgeMetrics? Metrics = null)
{
    /// <summary>The border (src/Edge/Security): who must authenticate, and where failures are told; none: every source is trusted.</summary>
    public Security.EdgeSecurity? Security { get; init; }

    /// <summary>The NATed flows kept open (src/Edge/Registrar); none: keep-alives off, nothing learned.</summary>
    internal Registrar.NatKeepAlives? KeepAlives { get; init; }

    /// <summary>Relays out-of-dialog MESSAGE and OPTIONS to users (src/Edge/Messages); none: MESSAGE gets 405, every OPTIONS the edge's 200.</summary>
    internal Messages.MessageRelay? Messages { get; init; }
}
