using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>
/// Where an out-of-dialog MESSAGE or OPTIONS to a user goes, decided as Kamailio's <c>lookup("location")</c> then
/// <c>t_relay()</c> decides it: a registered user's bindings all at once (the route of <c>ring-all</c>: every device
/// gets the message, the first 2xx answers the sender), else the dial plan's route's targets one after another, each
/// target's servers (RFC 3263) in order, the next after a 408, a 5xx or no answer; no route: 404. The call flow a route
/// names is not run: a message is not a call (no ringing, no hunt, no CDR).
/// </summary>
public static class MessagePlan
{
    /// <summary>
    /// The route for <paramref name="request"/> (received as <paramref name="inbound"/>) given the router's
    /// <paramref name="route"/> (its targets located, <see cref="DialTarget.Hops"/>), or null when none matched.
    /// </summary>
    public static MessageRoute For(SipMessage request, SipInbound inbound, RouteDecision? route)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inbound);
        if (request.MaxForwards == 0)
        {
            return Refuse(request, inbound, 483); // it would be forwarded: RFC 3261 §16.3 step 2
        }

        if (route is null || route.Targets.Count == 0)
        {
            return Refuse(request, inbound, 404);
        }

        var dialledUser = SipUri.TryParse(request.RequestUri, out var dialled) ? dialled.User : null;
        var requests = new List<SipCommand>(route.Targets.Count);
        foreach (var target in route.Targets)
        {
            if (!SipUri.TryParse(target.Uri, out var uri))
            {
                continue; // a bad target in the dial plan: the others may still do
            }

            // A trunk keeps the dialled number, as a call's leg does.
            var requestUri = (uri.User is null && dialledUser is not null ? uri.WithUser(dialledUser) : uri).ToString();
            foreach (var (peer, edge) in Hops(target, uri, inbound.Edge))
            {
                requests.Add(new SipCommand(SipCommandKind.Request, OutOfDialogRequests.For(request, requestUri, peer, edge, target.Headers), peer));
            }
        }

        return requests.Count == 0
            ? Refuse(request, inbound, 503) // every target's name had no server in DNS (RFC 3263 §4.3's end)
            : new MessageRoute([.. requests], Fork: route.Flow == RingAllFlow.Name);
    }

    // Where one target is sent, in order: its flow or connection (a registered binding, from the edge that holds it),
    // else the servers DNS found, else its URI's host and port.
    private static IEnumerable<(SipPeer Peer, EdgeInfo Edge)> Hops(DialTarget target, SipUri uri, EdgeInfo own)
    {
        if (target.Hop is { } hop)
        {
            return [(hop, target.HopEdge ?? own)];
        }

        return target.Hops is { } located ? located.Select(p => (p, own)) : [(SipTargets.For(uri), own)];
    }

    private static MessageRoute Refuse(SipMessage request, SipInbound inbound, int status)
        => MessageRoute.Refused(SipCommand.Response(LegMessages.Response(request, status, SipIds.NewTag()), request, inbound.Source));
}
