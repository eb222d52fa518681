using System.Net;
using System.Net.Sockets;
using CallControl.Grains;
using CallControl.Sip.Dns;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Routing;

/// <summary>
/// Turns a grain's <see cref="SipPeer"/> into a socket address. IP literals need no lookup (a call's first INVITE to a
/// target named by DNS comes located already: RFC 3263 runs in the silo, DialTargetLocator); a name left in a peer (a
/// Contact or Record-Route by name, in-dialog) is looked up through the same locator, with its cache, and the address
/// of the family the edge sends from (<paramref name="family"/>) is taken when it has one, else one of the other: an
/// IPv6-only edge calls a dual-stack carrier over IPv6, an IPv4 edge reaches an IPv6-only name on a dual-stack edge.
/// The peer's <see cref="SipPeer.ServerName"/>, or its host, goes with the address: outbound TLS checks the
/// certificate against it.
/// </summary>
internal sealed class PeerResolver(ISipLocator locator, AddressFamily family = AddressFamily.InterNetwork)
{
    public async ValueTask<SipEndPoint?> ResolveAsync(SipPeer peer, CancellationToken cancellationToken)
    {
        var host = SipHost.Bare(peer.Host); // peers hold URI hosts: "[2001:db8::1]" (SipHost)
        if (!IPAddress.TryParse(host, out var address))
        {
            if (IsInvalid(host))
            {
                return null; // never looked up (RFC 6761 §6.4): a WebSocket client's Contact, reached over its connection only
            }

            var found = await locator.AddressesAsync(host, cancellationToken).ConfigureAwait(false);
            address = found.FirstOrDefault(a => a.AddressFamily == family) ?? (found.Count > 0 ? found[0] : null);
            if (address is null)
            {
                return null;
            }
        }

        return new SipEndPoint(peer.Transport, new IPEndPoint(address, peer.Port), peer.ConnectionId, peer.ServerName ?? host);
    }

    /// <summary>True for a name under <c>.invalid</c>, which JsSIP and SIP.js put in their Via and Contact (RFC 7118 §5.2).</summary>
    public static bool IsInvalid(string host)
        => host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".invalid.", StringComparison.OrdinalIgnoreCase);

    /// <summary>A message's source as grains record it: its host as a URI writes it (IPv6 in brackets, <see cref="SipHost"/>).</summary>
    public static SipPeer ToPeer(SipEndPoint endPoint, string edgeId)
        => new(endPoint.Transport, SipHost.Of(endPoint.Address.Address), endPoint.Address.Port, endPoint.ConnectionId, edgeId);
}
