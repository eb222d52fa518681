using System.Net;
using CallControl.Grains;
using CallControl.Sip.Dns;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Routing;

/// <summary>
/// Turns a grain's <see cref="SipPeer"/> into a socket address. IP literals need no lookup (a call's first INVITE to a
/// target named by DNS comes located already: RFC 3263 runs in the silo, DialTargetLocator); a name left in a peer (a
/// Contact or Record-Route by name, in-dialog) is looked up through the same locator, with its cache. The peer's
/// <see cref="SipPeer.ServerName"/>, or its host, goes with the address: outbound TLS checks the certificate against it.
/// </summary>
internal sealed class PeerResolver(ISipLocator locator)
{
    public async ValueTask<SipEndPoint?> ResolveAsync(SipPeer peer, CancellationToken cancellationToken)
    {
        var host = peer.Host.StartsWith('[') ? peer.Host[1..^1] : peer.Host;
        if (!IPAddress.TryParse(host, out var address))
        {
            var found = await locator.AddressesAsync(host, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
            {
                return null;
            }

            address = found[0];
        }

        return new SipEndPoint(peer.Transport, new IPEndPoint(address, peer.Port), peer.ConnectionId, peer.ServerName ?? host);
    }

    public static SipPeer ToPeer(SipEndPoint endPoint, string edgeId)
        => new(endPoint.Transport, endPoint.Address.Address.ToString(), endPoint.Address.Port, endPoint.ConnectionId, edgeId);
}
