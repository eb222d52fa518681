using System.Collections.Concurrent;
using System.Net;
using CallControl.Grains;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Routing;

/// <summary>
/// Turns a grain's <see cref="SipPeer"/> (host may be a name) into a socket address, keeping the host as
/// <see cref="SipEndPoint.HostName"/>. IP literals need no lookup; names are resolved once and cached for a minute
/// (RFC 3263's NAPTR/SRV steps are not done yet).
/// </summary>
internal sealed class PeerResolver(TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (IPAddress Address, DateTimeOffset Until)> _names = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<SipEndPoint?> ResolveAsync(SipPeer peer, CancellationToken cancellationToken)
    {
        var host = peer.Host.StartsWith('[') ? peer.Host[1..^1] : peer.Host;
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
                    found = await Dns.GetHostAddressesAsync(host, System.Net.Sockets.AddressFamily.InterNetwork, cancellationToken).ConfigureAwait(false);
                }
                catch (System.Net.Sockets.SocketException)
                {
                    return null;
                }

                if (found.Length == 0)
                {
                    return null;
                }

                address = found[0];
                _names[host] = (address, time.GetUtcNow() + CacheFor);
            }
        }

        // The name goes with the address: outbound TLS checks the carrier's certificate against it, not the IP.
        return new SipEndPoint(peer.Transport, new IPEndPoint(address, peer.Port), peer.ConnectionId, host);
    }

    public static SipPeer ToPeer(SipEndPoint endPoint, string edgeId)
        => new(endPoint.Transport, endPoint.Address.Address.ToString(), endPoint.Address.Port, endPoint.ConnectionId, edgeId);
}
