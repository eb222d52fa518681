using System.Net;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Dns;

/// <summary>Finds where SIP requests go (RFC 3263): the servers for a URI, in order, and the addresses of a host name.</summary>
public interface ISipLocator
{
    /// <summary>
    /// The servers for <paramref name="uri"/> in the order to try them, the next one on a 503, a timeout or a transport
    /// error (§4.3): NAPTR, then SRV, then A/AAAA as §4 has it. Empty when DNS found nothing or failed; never throws
    /// for a lookup that failed.
    /// </summary>
    ValueTask<IReadOnlyList<SipHop>> LocateAsync(SipUri uri, CancellationToken cancellationToken);

    /// <summary>The A and AAAA addresses of <paramref name="host"/> (IPv4 first); empty when it has none or DNS failed.</summary>
    ValueTask<IReadOnlyList<IPAddress>> AddressesAsync(string host, CancellationToken cancellationToken);
}
