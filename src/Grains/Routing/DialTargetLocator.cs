using System.Net.Sockets;
using CallControl.Grains.Flows;
using CallControl.Sip.Dns;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Gives each target of a flow's dial that names its host by DNS name the servers RFC 3263 finds for it
/// (<see cref="DialTarget.Hops"/>), before its legs start: the call sends to an address, puts the server's transport in
/// its Via, and goes on to the next server on a 503 or no answer. Targets with an address, or a connection of their
/// own (<see cref="DialTarget.Hop"/>), need nothing.
/// </summary>
public sealed class DialTargetLocator(ISipLocator locator)
{
    /// <summary><paramref name="action"/> with its targets located, when it is a dial; else as it is.</summary>
    public async ValueTask<FlowAction> LocateAsync(FlowAction action, CancellationToken cancellationToken)
    {
        if (action is not Dial dial || !dial.Targets.Any(t => NameOf(t) is not null))
        {
            return action;
        }

        var located = new DialTarget[dial.Targets.Count];
        for (var i = 0; i < located.Length; i++)
        {
            var target = dial.Targets[i];
            located[i] = NameOf(target) is { } uri
                ? target with { Hops = [.. (await locator.LocateAsync(uri, cancellationToken).ConfigureAwait(false)).Select(ToPeer)] }
                : target;
        }

        return dial with { Targets = located };
    }

    /// <summary>A located server as a call's peer: its address (IPv6 bracketed, as in a URI), with the name for TLS.</summary>
    public static SipPeer ToPeer(SipHop hop)
    {
        ArgumentNullException.ThrowIfNull(hop);
        var host = hop.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{hop.Address}]" : hop.Address.ToString();
        return new SipPeer(hop.Transport, host, hop.Port) { ServerName = hop.Name };
    }

    /// <summary>The target's URI when DNS must find its servers: no hop of its own, and a host (or maddr) that is a name.</summary>
    private static SipUri? NameOf(DialTarget target)
        => target.Hop is null && target.Hops is null && SipUri.TryParse(target.Uri, out var uri) && TargetLookup.For(uri).Kind != LookupKind.None
            ? uri
            : null;
}
