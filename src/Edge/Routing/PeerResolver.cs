using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Routing;

/// <summary>
/// Turns a grain's <see cref="SipPeer"/> (host may be a name) into a socket address, keeping the host as
/// <see cref="SipEndPoint.HostName"/>. IP literals need no lookup; names are resolved once and cached for a minute
/// (RFC 3263's NAPTR/SRV steps are not done yet). A name's address is of the family the edge sends from
/// (<paramref name="family"/>) when it has one, else of the other: an IPv6-only edge calls a dual-stack carrier over
/// IPv6, an IPv4 edge reaches an IPv6-only name (on a dual-stack edge) rather than failing.
/// </summary>
internal sealed class PeerResolver(TimeProvider time, AddressFamily family = AddressFamily.InterNetwork)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (IPAddress Address, DateTimeOffset Until)> _names = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<SipEndPoint?> ResolveAsync(SipPeer peer, CancellationToken cancellationToken)
    {
        var host = SipHost.Bare(peer.Host); // peers hold URI hosts: "[2001:db8::1]" (SipHost)
        if (!IPAddress.TryParse(host, out var address))
        {
            if (_names.TryGetValue(host, out var cached) && cached.Until > time.GetUtcNow())
            {
                address = cached.Address;
            }
            else
            {
                IPAddress[] found;
                try
                {
                    found = await Dns.GetHostAddressesAsync(host, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    return null;
                }

                address = Array.Find(found, a => a.AddressFamily == family) ?? (found.Length > 0 ? found[0] : null);
                if (address is null)
                {
                    return null;
                }

                _names[host] = (address, time.GetUtcNow() + CacheFor);
            }
        }

        // The name goes with the address: outbound TLS checks the carrier's certificate against it, not the IP.
        return new SipEndPoint(peer.Transport, new IPEndPoint(address, peer.Port), peer.ConnectionId, host);
    }

    /// <summary>A message's source as grains record it: its host as a URI writes it (IPv6 in brackets, <see cref="SipHost"/>).</summary>
    public static SipPeer ToPeer(SipEndPoint endPoint, string edgeId)
        => new(endPoint.Transport, SipHost.Of(endPoint.Address.Address), endPoint.Address.Port, endPoint.ConnectionId, edgeId);
}
