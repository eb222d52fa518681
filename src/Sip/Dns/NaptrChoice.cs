using CallControl.Sip.Transport;

namespace CallControl.Sip.Dns;

/// <summary>
/// Which NAPTR records of a domain a client follows (RFC 3263 §4.1): those whose service it supports ("SIP+D2U" UDP,
/// "SIP+D2T" TCP, "SIPS+D2T" TLS; for a sips: URI only the last), with the "s" flag (the replacement is an SRV name),
/// in order, then preference. Each comes with the transport it means; the client tries the SRV names in that order.
/// </summary>
public static class NaptrChoice
{
    /// <summary>The SRV names to query, with their transports, in the order to try them.</summary>
    public static IReadOnlyList<(SipTransportKind Transport, string SrvName)> Select(IEnumerable<NaptrRecord> records, bool sips, IReadOnlySet<SipTransportKind> supported)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(supported);
        return [.. records
            .Where(r => r.Flags.Equals("s", StringComparison.OrdinalIgnoreCase) && r.Replacement.Length > 0)
            .Select(r => (Record: r, Transport: TransportOf(r.Service, sips)))
            .Where(r => r.Transport is { } t && supported.Contains(t))
            .OrderBy(r => r.Record.Order)
            .ThenBy(r => r.Record.Preference)
            .Select(r => (r.Transport!.Value, r.Record.Replacement.TrimEnd('.')))];
    }

    /// <summary>
    /// The SRV names to query when a domain has no NAPTR records (RFC 3263 §4.1): for a sips: URI TLS only, else the
    /// client's transports in its own order of preference: UDP, TCP, TLS, as Kamailio's defaults have it
    /// (dns_udp_pref over dns_tcp_pref over dns_tls_pref), since a sip: URI asks for no security and UDP is what
    /// carriers take most.
    /// </summary>
    public static IReadOnlyList<(SipTransportKind Transport, string SrvName)> WithoutNaptr(string domain, bool sips, IReadOnlySet<SipTransportKind> supported)
    {
        ArgumentException.ThrowIfNullOrEmpty(domain);
        ArgumentNullException.ThrowIfNull(supported);
        (SipTransportKind Transport, string Prefix)[] candidates = sips
            ? [(SipTransportKind.Tls, "_sips._tcp.")]
            : [(SipTransportKind.Udp, "_sip._udp."), (SipTransportKind.Tcp, "_sip._tcp."), (SipTransportKind.Tls, "_sips._tcp.")];
        return [.. candidates.Where(c => supported.Contains(c.Transport)).Select(c => (c.Transport, c.Prefix + domain.TrimEnd('.')))];
    }

    private static SipTransportKind? TransportOf(string service, bool sips) => service.ToUpperInvariant() switch
    {
        "SIPS+D2T" => SipTransportKind.Tls,
        "SIP+D2T" when !sips => SipTransportKind.Tcp,
        "SIP+D2U" when !sips => SipTransportKind.Udp,
        _ => null,
    };
}
