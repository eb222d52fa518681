using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Calls;

/// <summary>Where a request for a URI goes (RFC 3263 without DNS: the URI's transport, host and port).</summary>
internal static class SipTargets
{
    /// <summary>
    /// The peer for <paramref name="uri"/>: its ;transport (else <paramref name="fallback"/>, else UDP; sips: TLS),
    /// its host, and its port (5060, or 5061 over TLS). A maddr parameter overrides the host (RFC 3261 §19.1.1).
    /// </summary>
    public static SipPeer For(SipUri uri, SipTransportKind? fallback = null)
    {
        var transport = uri.Transport is { } name && SipTransportKinds.TryParse(name, out var named)
            ? named
            : uri.Scheme == "sips" ? SipTransportKind.Tls : fallback ?? SipTransportKind.Udp;
        // maddr is a host too (bracketed for IPv6); a bare IPv6 maddr is bracketed here so the peer keeps the one rule (SipHost).
        var host = uri.Parameters["maddr"] is { } maddr ? SipHost.Normalize(maddr) : uri.Host;
        var port = uri.Port ?? (transport is SipTransportKind.Tls or SipTransportKind.Wss ? 5061 : 5060);
        return new SipPeer(transport, host, port);
    }

    /// <summary>The next hop for an in-dialog request: the first route when there is a route set, else the remote target.</summary>
    public static SipPeer NextHop(string remoteTarget, IReadOnlyList<string> routeSet, SipTransportKind legTransport)
    {
        if (routeSet.Count > 0 && NameAddress.TryParse(routeSet[0].AsSpan(), out var route))
        {
            return For(route.Uri, legTransport);
        }

        return For(SipUri.Parse(remoteTarget), legTransport);
    }
}
