using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Dns;

/// <summary>What RFC 3263 §4 has a client look up for a URI before it sends (decided in plain code; the resolver does the lookups).</summary>
public enum LookupKind : byte
{
    /// <summary>The host is an IP address: no DNS at all (§4.2).</summary>
    None,

    /// <summary>A port or a transport is given: A/AAAA records of the host, with that port (default 5060, 5061 for TLS) (§4.2).</summary>
    Addresses,

    /// <summary>Neither: NAPTR, then SRV, then A/AAAA with the default port (§4.1, §4.2).</summary>
    Service,
}

/// <summary>
/// The lookups a SIP URI needs (RFC 3263 §4): the host to look up (its <c>maddr</c> when it has one), the transport
/// when the URI decides it (<c>transport=</c>, <c>sips:</c> means TLS), and the port when it is given.
/// </summary>
/// <param name="Kind">Which lookups.</param>
/// <param name="Host">The name (or address) to look up.</param>
/// <param name="Transport">The transport the URI fixes, or null when NAPTR/SRV decide (UDP for sip:, TLS for sips: when they find nothing).</param>
/// <param name="Port">The port the URI gives, or null.</param>
/// <param name="Secure">A sips: URI: only TLS may carry it.</param>
public sealed record TargetLookup(LookupKind Kind, string Host, SipTransportKind? Transport, int? Port, bool Secure)
{
    /// <summary>The lookups for <paramref name="uri"/>.</summary>
    public static TargetLookup For(SipUri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var secure = uri.Scheme == "sips";
        var host = (uri.Parameters["maddr"] ?? uri.Host).Trim('[', ']');
        SipTransportKind? transport = uri.Transport switch
        {
            "udp" => SipTransportKind.Udp,
            "tcp" => secure ? SipTransportKind.Tls : SipTransportKind.Tcp,
            "tls" => SipTransportKind.Tls,
            "ws" or "wss" => SipTransportKind.Ws,
            _ => secure ? SipTransportKind.Tls : null,
        };
        if (IPAddress.TryParse(host, out _))
        {
            return new(LookupKind.None, host, transport ?? SipTransportKind.Udp, uri.Port, secure);
        }

        // §4.1: a port, or an explicit transport, skips NAPTR; a port skips SRV too (§4.2).
        return uri.Port is not null
            ? new(LookupKind.Addresses, host, transport ?? SipTransportKind.Udp, uri.Port, secure)
            : new(LookupKind.Service, host, transport, null, secure); // null unless transport= or sips: fixes it
    }

    /// <summary>The port to use when the lookups gave none: 5061 for TLS, else 5060 (RFC 3261 §19.1.2).</summary>
    public int DefaultPort => (Transport ?? (Secure ? SipTransportKind.Tls : SipTransportKind.Udp)) == SipTransportKind.Tls ? 5061 : 5060;
}
