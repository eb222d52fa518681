using System.Text;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Registration;
using CallControl.Sip.Transport;

namespace CallControl.Calls;

/// <summary>
/// Builds the messages a B2BUA sends on its two legs. Pure functions of the dialog state and the message
/// being relayed; nothing from one leg's identifiers crosses to the other (topology hiding).
/// </summary>
internal static class LegMessages
{
    // Which headers cross from one leg's message to the other's: the call's HeaderPolicy over HeaderCrossing's defaults
    // (what describes the call, nothing that routes it), applied by PolicyHeaders.

    /// <summary>
    /// The INVITE for callee leg <paramref name="leg"/>: the caller's INVITE's description of the call (body, describing
    /// headers), the leg's own identifiers, the edge's Via and Contact, and the dial target's extra headers. 100rel is
    /// offered (or required) on the leg when the caller offered (or required) it: we relay reliable provisionals end to end.
    /// <paramref name="body"/> is the caller's offer, or the media relay's rewrite of it when the call anchors media.
    /// The route's <paramref name="policy"/> (none: the default) says which headers cross, and rewrites and normalises
    /// From, To, P-Asserted-Identity and Privacy (the Request-URI, <see cref="CalleeLeg.Uri"/>, is normalised already).
    /// </summary>
    public static byte[] CalleeInvite(SipMessage callerInvite, CalleeLeg leg, string branch, string fromTag, ReadOnlyMemory<byte> body, RoutePolicy? policy = null)
    {
        policy ??= RoutePolicy.Default;
        var fromParameters = new HeaderParameters();
        fromParameters.Set("tag", fromTag);

        // The leg keeps the identifiers every later request on it repeats (its CANCEL, ACK, BYE), so none of them
        // reparses this INVITE, and each repeats the rewritten identity.
        leg.InviteVia = EdgeAddresses.Via(leg.Edge, leg.Peer, branch);
        leg.LocalFrom = PolicyHeaders.From(callerInvite.From, policy, fromParameters).ToString();
        leg.InviteTo = PolicyHeaders.To(callerInvite.To, policy).ToString();
        return CalleeInviteAgain(callerInvite, leg, branch, body, policy);
    }

    /// <summary>
    /// The leg's INVITE once more, as <see cref="CalleeInvite"/> built it (same Call-ID, From tag, To and body), in a new
    /// transaction: a new <paramref name="branch"/>, the leg's current <see cref="CalleeLeg.InviteCSeq"/>, and the
    /// <paramref name="authorization"/> headers (the answer to a trunk's challenge, RFC 3261 §22.2).
    /// </summary>
    public static byte[] CalleeInviteAgain(SipMessage callerInvite, CalleeLeg leg, string branch, ReadOnlyMemory<byte> body, RoutePolicy? policy, params (HeaderId Id, string Value)[] authorization)
    {
        policy ??= RoutePolicy.Default;
        leg.EnsureIdentifiers();
        leg.InviteVia = EdgeAddresses.Via(leg.Edge, leg.Peer, branch);
        var builder = SipMessageBuilder.Request(SipMethod.Invite, leg.Uri)
            .Add(HeaderId.Via, leg.InviteVia)
            .Add(HeaderId.MaxForwards, (callerInvite.MaxForwards ?? 70) - 1)
            .Add(HeaderId.From, leg.LocalFrom!)
            .Add(HeaderId.To, leg.InviteTo!)
            .Add(HeaderId.CallId, leg.CallId)
            .Add(HeaderId.CSeq, $"{leg.InviteCSeq} INVITE")
            .Add(HeaderId.Contact, EdgeAddresses.Contact(leg.Edge, leg.Peer));
        foreach (var (id, value) in authorization)
        {
            builder.Add(id, value);
        }

        // A dial target's own headers (a forward's Diversion) replace the caller's of the same name.
        var extra = leg.Target.Headers;
        builder.CopyCrossing(callerInvite, policy.Headers, HeaderCrossingKind.Invite, extra is null ? PolicyHeaders.Rewritten(policy) : PolicyHeaders.Rewritten(policy).Concat(extra.Keys))
            .AddIdentity(callerInvite, policy, () => NameAddress.TryParse(leg.LocalFrom, out var from) ? from.Uri : callerInvite.From.Uri);

        if (Reliable.Required(callerInvite))
        {
            builder.Add(HeaderId.Require, Reliable.Extension);
        }
        else if (Reliable.Supported(callerInvite))
        {
            builder.Add(HeaderId.Supported, Reliable.Extension);
        }

        if (leg.SessionExpires > 0)
        {
            // RFC 4028 §7.1: the interval asked, our floor, and that we take its refresher's part if it wants none.
            builder.Add(HeaderId.Supported, Sessions.SessionTimerRules.Extension)
                .Add(HeaderId.SessionExpires, leg.SessionExpires.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Add("Min-SE", leg.SessionMinSe.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (extra is not null)
        {
            foreach (var (name, value) in extra)
            {
                builder.Add(name, value);
            }
        }

        return builder.Body(body, callerInvite.ContentType).ToArray();
    }

    /// <summary>
    /// A response to the caller's INVITE: our tag, our Contact, and (when relaying) the callee's status,
    /// reason, body and describing headers. A 3xx keeps the callee's Contact: it is the redirect target. <paramref name="sdp"/>
    /// replaces the relayed body (the media relay's rewrite; empty: none).
    /// </summary>
    public static byte[] ResponseToCaller(SipMessage callerInvite, DialogState state, int status, string? reason, SipMessage? relayed = null, uint rseq = 0, string? retryAfter = null, byte[]? sdp = null)
    {
        var builder = SipResponses.Create(callerInvite, status, reason, state.CallerTag);
        if (retryAfter is not null)
        {
            builder.Add(HeaderId.RetryAfter, retryAfter);
        }

        if (rseq != 0)
        {
            builder.Add(HeaderId.Require, Reliable.Extension).Add(HeaderId.RSeq, rseq); // RFC 3262 §3: our RSeq on the caller leg
        }

        if (status is > 100 and < 300)
        {
            builder.Add(HeaderId.Contact, EdgeAddresses.Contact(state.Edge!, state.CallerPeer!));
        }

        if (status == 422)
        {
            builder.Add("Min-SE", state.SessionMinSe.ToString(System.Globalization.CultureInfo.InvariantCulture)); // RFC 4028 §6
        }
        else if (status is >= 200 and < 300 && state.SessionInterval > 0 && state.CallerRefreshedAt is not null)
        {
            // RFC 4028 §9: who refreshes the caller's side; Require: timer when it is the caller itself.
            var refresher = state.RefreshCaller ? Sessions.Refresher.Uas : Sessions.Refresher.Uac;
            builder.Add(HeaderId.SessionExpires, new Sessions.SessionExpires(state.SessionInterval, refresher).ToString());
            if (!state.RefreshCaller)
            {
                builder.Add(HeaderId.Require, Sessions.SessionTimerRules.Extension);
            }
        }

        if (relayed is not null)
        {
            if (status is >= 300 and < 400)
            {
                builder.Copy(relayed, HeaderId.Contact);
            }

            builder.CopyCrossing(relayed, state.HeaderPolicy, HeaderCrossingKind.Response);
            builder.Body(sdp ?? relayed.Body, relayed.ContentType);
        }

        return builder.ToArray();
    }

    /// <summary>A 302 to the caller listing where to call instead (RFC 3261 §21.3.3).</summary>
    public static byte[] Redirect(SipMessage callerInvite, DialogState state, IReadOnlyList<string> contacts)
    {
        var builder = SipResponses.Create(callerInvite, 302, null, state.CallerTag);
        foreach (var contact in contacts)
        {
            builder.Add(HeaderId.Contact, contact.StartsWith('<') ? contact : $"<{contact}>");
        }

        return builder.ToArray();
    }

    /// <summary>A response to any request, with our tag on its leg when the request has none.</summary>
    public static byte[] Response(SipMessage request, int status, string? toTag, string? reason = null, params (HeaderId Id, string Value)[] extra)
    {
        var builder = SipResponses.Create(request, status, reason, toTag);
        foreach (var (id, value) in extra)
        {
            builder.Add(id, value);
        }

        return builder.ToArray();
    }

    /// <summary>An in-dialog request to the caller (we act as UAC on the caller leg: From and To swap).</summary>
    public static (byte[] Message, SipPeer Destination) RequestToCaller(SipMessage callerInvite, DialogState state, SipMethod method)
        => RequestToCaller(callerInvite, state, method.Name(), relayed: null, cseq: null);

    /// <summary>
    /// An in-dialog request to the caller, optionally carrying a relayed request's body and describing headers;
    /// <paramref name="cseq"/> is given for an ACK (it repeats its INVITE's number), else the leg's next is used;
    /// <paramref name="sdp"/> replaces the relayed body (the media relay's rewrite).
    /// </summary>
    public static (byte[] Message, SipPeer Destination) RequestToCaller(SipMessage callerInvite, DialogState state, string method, SipMessage? relayed, uint? cseq, byte[]? sdp = null)
    {
        var peer = state.CallerPeer!;
        var contact = callerInvite.Addresses(HeaderId.Contact) is [var first, ..] ? first.Uri.ToString() : callerInvite.From.Uri.ToString();
        var routeSet = callerInvite.GetHeaders(HeaderId.RecordRoute); // in order on the UAS side (RFC 3261 §12.1.1)
        var destination = SipTargets.NextHop(contact, routeSet, peer.Transport);
        if (peer.Transport.IsReliable() && destination.Transport.SameFlowKind(peer.Transport))
        {
            destination = peer; // back over the caller's own connection (RFC 3261 §18.1.1 reuse)
        }
        else if (routeSet.Count == 0 && destination.Transport == peer.Transport && destination.Host != peer.Host && NatDetection.IsPrivate(destination.Host))
        {
            destination = peer; // a caller behind NAT: its private Contact is unreachable, where it sent from is not
        }

        var number = cseq ?? ++state.CallerLocalCSeq;
        var builder = SipMessageBuilder.Request(method, contact)
            .Add(HeaderId.Via, EdgeAddresses.Via(state.Edge!, destination, SipIds.NewBranch()))
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"{Encoding.UTF8.GetString(callerInvite.RawValue(HeaderId.To))};tag={state.CallerTag}")
            .AddRaw(HeaderId.To, callerInvite.RawValue(HeaderId.From))
            .AddRaw(HeaderId.CallId, callerInvite.RawValue(HeaderId.CallId))
            .Add(HeaderId.CSeq, $"{number} {method}");
        foreach (var route in routeSet)
        {
            builder.Add(HeaderId.Route, route);
        }

        return (Finish(builder, state.Edge!, peer, method, relayed, sdp, state.HeaderPolicy), destination);
    }

    /// <summary>A request on callee leg <paramref name="leg"/>, in the dialog its 2xx (or provisional) established.</summary>
    public static (byte[] Message, SipPeer Destination) RequestToCallee(CalleeLeg leg, SipMethod method, ReadOnlyMemory<byte> body = default, string? contentType = null)
        => RequestToCallee(leg, method.Name(), relayed: null, method == SipMethod.Ack ? leg.InviteCSeq : null, body, contentType, null, HeaderPolicy.Default);

    /// <summary>
    /// An in-dialog request on callee leg <paramref name="leg"/>, optionally carrying a relayed request's body and
    /// describing headers; <paramref name="cseq"/> is given for an ACK (its INVITE's number), else the leg's next is used.
    /// </summary>
    public static (byte[] Message, SipPeer Destination) RequestToCallee(CalleeLeg leg, string method, SipMessage? relayed, uint? cseq, params (HeaderId Id, string Value)[] extra)
        => RequestToCallee(leg, method, relayed, cseq, default, null, null, HeaderPolicy.Default, extra);

    /// <summary>
    /// As the overload above, with the relayed body replaced by <paramref name="sdp"/> when there is one (the media
    /// relay's rewrite); with no relayed request, the call's own request carrying <paramref name="sdp"/>.
    /// </summary>
    public static (byte[] Message, SipPeer Destination) RequestToCallee(CalleeLeg leg, string method, SipMessage? relayed, uint? cseq, byte[]? sdp, params (HeaderId Id, string Value)[] extra)
        => RequestToCallee(leg, method, relayed, cseq, default, null, sdp, HeaderPolicy.Default, extra);

    /// <summary>
    /// A request of the caller's relayed on callee leg <paramref name="leg"/>: as <see cref="RequestToCallee(CalleeLeg, string, SipMessage?, uint?, byte[], ValueTuple{HeaderId, string}[])"/>,
    /// with the headers the call's <paramref name="headers"/> policy lets cross (the overloads without one apply the default).
    /// </summary>
    public static (byte[] Message, SipPeer Destination) RelayToCallee(CalleeLeg leg, HeaderPolicy headers, string method, SipMessage? relayed, uint? cseq, byte[]? sdp, params (HeaderId Id, string Value)[] extra)
        => RequestToCallee(leg, method, relayed, cseq, default, null, sdp, headers, extra);

    /// <summary>The CANCEL for a leg's INVITE: its Request-URI, top Via (so its branch), From, To, Call-ID and CSeq number (RFC 3261 §9.1).</summary>
    public static byte[] Cancel(CalleeLeg leg)
    {
        leg.EnsureIdentifiers();
        return SipMessageBuilder.Request(SipMethod.Cancel, leg.Uri)
            .Add(HeaderId.Via, leg.InviteVia!)
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, leg.LocalFrom!)
            .Add(HeaderId.To, leg.InviteTo!)
            .Add(HeaderId.CallId, leg.CallId)
            .Add(HeaderId.CSeq, $"{leg.InviteCSeq} CANCEL")
            .ToArray();
    }

    /// <summary>
    /// Where an in-dialog request to the callee goes: over the flow a registered phone's INVITE took (its TCP or TLS
    /// connection, its NATed UDP flow: RFC 5626 §5.3, the Contact in its answer is as unreachable as the one it
    /// registered), unless a route set leads elsewhere; else the next hop of the remote target.
    /// </summary>
    public static SipPeer CalleeHop(CalleeLeg leg)
    {
        var destination = SipTargets.NextHop(leg.RemoteTarget ?? leg.Uri, leg.RouteSet, leg.Peer.Transport);
        return leg.Peer.IsHeldByEdge && destination.Transport.SameFlowKind(leg.Peer.Transport) && leg.RouteSet.Count == 0 ? leg.Peer : destination;
    }

    private static (byte[] Message, SipPeer Destination) RequestToCallee(
        CalleeLeg leg, string method, SipMessage? relayed, uint? cseqNumber, ReadOnlyMemory<byte> body, string? contentType, byte[]? sdp, HeaderPolicy headers, params (HeaderId Id, string Value)[] extra)
    {
        leg.EnsureIdentifiers();
        var target = leg.RemoteTarget ?? leg.Uri;
        var destination = CalleeHop(leg);

        var cseq = cseqNumber ?? ++leg.LocalCSeq;
        var builder = SipMessageBuilder.Request(method, target)
            .Add(HeaderId.Via, EdgeAddresses.Via(leg.Edge, destination, SipIds.NewBranch()))
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, leg.LocalFrom!)
            .Add(HeaderId.To, leg.To ?? leg.InviteTo!)
            .Add(HeaderId.CallId, leg.CallId)
            .Add(HeaderId.CSeq, $"{cseq} {method}");
        foreach (var route in leg.RouteSet)
        {
            builder.Add(HeaderId.Route, route);
        }

        foreach (var (id, value) in extra)
        {
            builder.Add(id, value);
        }

        if (relayed is null && sdp is null)
        {
            return (builder.Body(body, contentType).ToArray(), destination);
        }

        return (Finish(builder, leg.Edge, destination, method, relayed, sdp, headers), destination);
    }

    private const string SdpContentType = "application/sdp";

    private static byte[] Finish(SipMessageBuilder builder, EdgeInfo edge, SipPeer toward, string method, SipMessage? relayed, byte[]? sdp, HeaderPolicy headers)
    {
        if (method is "INVITE" or "UPDATE" or "NOTIFY")
        {
            builder.Add(HeaderId.Contact, EdgeAddresses.Contact(edge, toward)); // target refresh requests carry one (RFC 3261 §12.2.1.1), and NOTIFY (RFC 6665 §4.2.2)
        }

        if (relayed is null)
        {
            return (sdp is null ? builder : builder.Body(sdp, SdpContentType)).ToArray(); // the call's own request
        }

        // What describes the request (its body, its event, its INFO package: RFC 6086), never what routes it.
        builder.CopyCrossing(relayed, headers, HeaderCrossingKind.InDialog);
        return builder.Body(sdp ?? relayed.Body, relayed.ContentType).ToArray();
    }

    /// <summary>
    /// The response to a relayed request: the far side's status, reason, body and describing headers; <paramref name="sdp"/>
    /// replaces the body (the media relay's rewrite).
    /// </summary>
    public static byte[] RelayedResponse(SipMessage original, SipMessage response, EdgeInfo edge, SipPeer toward, byte[]? sdp = null, HeaderPolicy? headers = null)
    {
        var builder = SipResponses.Create(original, response.StatusCode, response.ReasonPhrase);
        if (original.Method is SipMethod.Invite or SipMethod.Update && response.StatusCode is > 100 and < 300)
        {
            builder.Add(HeaderId.Contact, EdgeAddresses.Contact(edge, toward));
        }

        builder.CopyCrossing(response, headers ?? HeaderPolicy.Default, HeaderCrossingKind.Response);
        return builder.Body(sdp ?? response.Body, response.ContentType).ToArray();
    }

    /// <summary>
    /// ACK and BYE for a 2xx that must not stand (a second fork's answer, or an answer after the caller
    /// gave up): RFC 3261 §13.2.2.4 says acknowledge it, then end that dialog.
    /// </summary>
    public static SipCommand[] RefuseAnswer(CalleeLeg leg, SipMessage answer)
    {
        var remote = new CalleeLeg
        {
            Number = leg.Number,
            Target = leg.Target,
            Uri = leg.Uri,
            Edge = leg.Edge,
            Invite = leg.Invite,
            InviteVia = leg.InviteVia,
            LocalFrom = leg.LocalFrom,
            InviteTo = leg.InviteTo,
            Peer = leg.Peer,
            CallId = leg.CallId,
            To = Encoding.UTF8.GetString(answer.RawValue(HeaderId.To)),
            RemoteTarget = answer.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null,
            RouteSet = ReversedRouteSet(answer),
            LocalCSeq = Math.Max(leg.LocalCSeq, 1),
            InviteCSeq = leg.InviteCSeq,
        };
        var (ack, ackTo) = RequestToCallee(remote, SipMethod.Ack);
        var (bye, byeTo) = RequestToCallee(remote, SipMethod.Bye);
        return [new(SipCommandKind.Ack, ack, ackTo), new(SipCommandKind.Request, bye, byeTo, SipCommandFlags.NoReport)];
    }

    /// <summary>A UAC's route set from a response's Record-Route: reversed (RFC 3261 §12.1.2).</summary>
    public static List<string> ReversedRouteSet(SipMessage response)
    {
        var routes = response.GetHeaders(HeaderId.RecordRoute);
        routes.Reverse();
        return routes;
    }
}
