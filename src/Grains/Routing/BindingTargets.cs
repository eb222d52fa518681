using CallControl.Calls;
using CallControl.Grains.Flows;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Routing;

/// <summary>How a call reaches one registered binding.</summary>
public static class BindingTargets
{
    /// <summary>
    /// Through the Path a proxy in front added (RFC 3327: the INVITE is routed through it); else through its flow when
    /// it must be (a TCP or TLS connection, a NATed or outbound UDP flow, from the edge that holds it); else at its Contact.
    /// </summary>
    public static DialTarget For(RegistrarBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Path is [var first, ..] && NameAddress.TryParse(first.AsSpan(), out var hop))
        {
            return new DialTarget(binding.Contact) { Headers = new Dictionary<string, string> { ["Route"] = string.Join(", ", binding.Path) }, Hop = SipTargets.For(hop.Uri) };
        }

        if (binding.Source.Transport != SipTransportKind.Udp)
        {
            return new DialTarget(binding.Contact) { Hop = binding.Source, HopEdge = binding.Edge };
        }

        return binding.ThroughFlow
            ? new DialTarget(binding.Contact) { Hop = binding.Source with { EdgeBound = binding.Edge is not null }, HopEdge = binding.Edge }
            : new DialTarget(binding.Contact);
    }

    /// <summary>True when only the edge that took the REGISTER can reach the binding (its connection, its NATed flow).</summary>
    public static bool IsHeldByEdge(RegistrarBinding binding)
        => binding.Edge is not null && binding.Path is null && (binding.Source.Transport != SipTransportKind.Udp || binding.ThroughFlow);
}
