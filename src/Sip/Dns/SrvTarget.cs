namespace CallControl.Sip.Dns;

/// <summary>One SRV record (RFC 2782): where a service is, how preferred (lower <see cref="Priority"/> first) and what share of its priority's traffic (<see cref="Weight"/>).</summary>
/// <param name="Priority">Lower is tried first.</param>
/// <param name="Weight">Within a priority, the share of the choices this target gets (0: only when no other is left).</param>
/// <param name="Port">The service's port.</param>
/// <param name="Host">The target's host name (a "." target means the service is not offered there).</param>
public sealed record SrvTarget(ushort Priority, ushort Weight, ushort Port, string Host);
