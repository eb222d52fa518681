using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

// In-dialog requests other than ACK, BYE and CANCEL (re-INVITE, UPDATE, INFO, MESSAGE, NOTIFY, ...): each is relayed
// to the other leg in a transaction of its own there, and the far side's answer goes back to the original.
public sealed partial class CallMachine
{
    private void RelayRequest(in Happening happening, CallLeg from)
    {
        var request = happening.Request;
        var tag = from == CallLeg.Caller ? State.CallerTag : null;
        if (request.Method == SipMethod.Invite && State.Relays.Exists(r => r.Method == "INVITE"))
        {
            Respond(happening, 491, tag); // one offer/answer at a time (RFC 3261 §14.2)
            return;
        }

        var sender = from == CallLeg.Callee ? State.Answered! : CallerSideLeg;
        if (sender is not null && request.Method is SipMethod.Invite or SipMethod.Update && request.Addresses(HeaderId.Contact) is [var refreshed, ..])
        {
            sender.RemoteTarget = refreshed.Uri.ToString(); // a target refresh request (RFC 3261 §12.2.2)
        }

        var to = from == CallLeg.Caller ? CallLeg.Callee : CallLeg.Caller;
        if (State.MediaAnchored && request.Method is SipMethod.Invite or SipMethod.Update && CarriesSdp(request))
        {
            // A new offer from either side: rewritten by the relay (from the sender's tag) before it crosses; without
            // the relay the sender gets 500 and the session stays as it was (RFC 3261 §14.2).
            var relayed = happening;
            AskMedia(new MediaRequest(MediaKind.Offer, MediaTagOf(from), MediaTagOf(to), Text(request.Body), happening.Source.Host) { Toward = MediaProfileOf(to) }, result =>
            {
                if (result.Ok)
                {
                    SendRelayed(relayed, from, to, Bytes(result));
                }
                else
                {
                    Respond(relayed, 500, tag);
                }
            });
            return;
        }

        SendRelayed(happening, from, to, sdp: null);
    }

    private void SendRelayed(in Happening happening, CallLeg from, CallLeg to, byte[]? sdp)
    {
        var request = happening.Request;
        var callee = State.Answered!;
        var (message, destination) = to == CallLeg.Callee
            ? LegMessages.RelayToCallee(callee, State.HeaderPolicy, request.MethodName, request, cseq: null, sdp)
            : ToCallerSide(request.MethodName, request, cseq: null, sdp);
        State.Relays.Add(new PendingRelay
        {
            SentOn = to,
            Leg = callee.Number,
            CSeq = to == CallLeg.Callee ? callee.LocalCSeq : CallerSideCSeq, // the number the message just took
            Method = request.MethodName,
            Original = happening.Inbound!.Message,
            OriginalPeer = happening.Source,
            OriginalCSeq = request.CSeq.Number,
            Sdp = to == CallLeg.Callee ? sdp : null, // sent again if the callee's trunk challenges it (CallMachine.Auth.cs)
        });

        // A session change in flight survives this silo (or, with the store down, follows).
        _step.Save |= request.Method is SipMethod.Invite or SipMethod.Update;
        _step.Commands.Add(new(SipCommandKind.Request, message, destination));
        SdpSent(to, SdpOf(request, sdp));
    }

    /// <summary>A response to a relayed request goes back to the original.</summary>
    private void RelayResponse(in Happening happening)
    {
        var response = happening.Message!;
        if (response.StatusCode == 100)
        {
            return;
        }

        var relay = State.Relays[happening.Relay];
        if (response.StatusCode is 401 or 407 && relay.SentOn == CallLeg.Callee && relay.Method != "PRACK" && happening.Leg is { } challenged)
        {
            OnRelayChallenged(happening, relay, challenged); // sent again with credentials (CallMachine.Auth.cs)
            return;
        }

        if (relay.IsSessionRefresh())
        {
            if (response.StatusCode >= 200)
            {
                OwnRefreshAnswered(happening, relay, response.StatusCode, noResponse: false);
            }

            return;
        }

        if (relay.Own)
        {
            OwnReinviteAnswered(happening, relay);
            return;
        }

        if (SipStatus.IsSuccess(response.StatusCode) && relay.Method is "INVITE" or "UPDATE")
        {
            SessionRefreshed();
        }

        var original = SipParser.ParseTrusted(relay.Original);
        if (MediaForRelayedResponse(relay, original, response) is { } media)
        {
            // The answer (or, to an offerless re-INVITE, the offer) is rewritten for the original's sender; without the
            // relay it goes as it came.
            var relayed = happening;
            AskMedia(media, result => FinishRelayedResponse(relayed, relay, original, result.Ok ? Bytes(result) : null));
            return;
        }

        FinishRelayedResponse(happening, relay, original, sdp: null);
    }

    private MediaRequest? MediaForRelayedResponse(PendingRelay relay, SipMessage original, SipMessage response)
    {
        if (!State.MediaAnchored || relay.Method is not ("INVITE" or "UPDATE") || response.StatusCode >= 300 || !CarriesSdp(response))
        {
            return null;
        }

        var responder = relay.SentOn;
        var sender = responder == CallLeg.Callee ? CallLeg.Caller : CallLeg.Callee;
        var sdp = Text(response.Body);
        if (CarriesSdp(original))
        {
            return new MediaRequest(MediaKind.Answer, MediaTagOf(sender), MediaTagOf(responder), sdp, MediaSourceOf(responder)) { Toward = MediaProfileOf(sender) };
        }

        return relay.Method == "INVITE" && response.StatusCode >= 200
            ? new MediaRequest(MediaKind.Offer, MediaTagOf(responder), MediaTagOf(sender), sdp, MediaSourceOf(responder)) { Toward = MediaProfileOf(sender) }
            : null;
    }

    private void FinishRelayedResponse(in Happening happening, PendingRelay relay, SipMessage original, byte[]? sdp)
    {
        var response = happening.Message!;
        var edge = relay.SentOn == CallLeg.Callee ? CallerSideEdge : State.Legs[relay.Leg].Edge; // the original's leg's edge
        _step.Commands.Add(SipCommand.Response(LegMessages.RelayedResponse(original, response, edge, relay.OriginalPeer, sdp, State.HeaderPolicy), original, relay.OriginalPeer));
        SdpSent(relay.SentOn == CallLeg.Callee ? CallLeg.Caller : CallLeg.Callee, SdpOf(response, sdp));
        if (response.StatusCode < 200)
        {
            return;
        }

        if (happening.Leg is { } leg && relay.Method is "INVITE" or "UPDATE" && SipStatus.IsSuccess(response.StatusCode) && response.Addresses(HeaderId.Contact) is [var refreshed, ..])
        {
            leg.RemoteTarget = refreshed.Uri.ToString();
        }

        if (relay.Method == "INVITE" && SipStatus.IsSuccess(response.StatusCode))
        {
            if (!original.HasBody)
            {
                relay.AwaitingAck = true; // the offer is in this 2xx; the answer will come in the original's ACK
                return;
            }

            _step.Commands.Add(AckRelayed(relay, answer: null)); // the offer was in the re-INVITE: acknowledge now
        }

        State.Relays.RemoveAt(happening.Relay);
    }

    /// <summary>An ACK for a relayed re-INVITE's 2xx: on to the far side with its answer; nothing when it is not one.</summary>
    private void TryRelayAck(SipMessage ack, CallLeg from)
    {
        var index = State.Relays.FindIndex(r => r.AwaitingAck && r.SentOn != from && OriginalCSeqOf(r) == ack.CSeq.Number);
        if (index < 0)
        {
            return;
        }

        var relay = State.Relays[index];
        State.Relays.RemoveAt(index);
        if (State.MediaAnchored && CarriesSdp(ack))
        {
            // The answer to the offer the far side made in its 2xx: rewritten for it, from its tag.
            AskMedia(new MediaRequest(MediaKind.Answer, MediaTagOf(relay.SentOn), MediaTagOf(from), Text(ack.Body), MediaSourceOf(from)) { Toward = MediaProfileOf(relay.SentOn) }, result =>
                _step.Commands.Add(AckRelayed(relay, ack, result.Ok ? Bytes(result) : null)));
            return;
        }

        _step.Commands.Add(AckRelayed(relay, answer: ack));
    }

    /// <summary>A relayed request got no final response: the original gets 408 (timeout) or 503 (unreachable).</summary>
    private void FailRelay(in Happening happening)
    {
        var relay = State.Relays[happening.Relay];
        if (relay.IsSessionRefresh())
        {
            OwnRefreshAnswered(happening, relay, happening.Status, noResponse: true);
            return;
        }

        State.Relays.RemoveAt(happening.Relay);
        if (relay.Own)
        {
            _events.OwnReinviteRefused(relay.SentOn, happening.Status);
            return;
        }

        var original = SipParser.ParseTrusted(relay.Original);
        _step.Commands.Add(SipCommand.Response(LegMessages.Response(original, happening.Status, toTag: null), original, relay.OriginalPeer));
    }

    private SipCommand AckRelayed(PendingRelay relay, SipMessage? answer, byte[]? sdp = null)
    {
        SdpSent(relay.SentOn, SdpOf(answer, sdp));
        var (ack, hop) = relay.SentOn == CallLeg.Callee
            ? LegMessages.RelayToCallee(State.Legs[relay.Leg], State.HeaderPolicy, "ACK", answer, relay.CSeq, sdp)
            : ToCallerSide("ACK", answer, relay.CSeq, sdp);
        return new(SipCommandKind.Ack, ack, hop);
    }

    /// <summary>The original's CSeq number: kept with the relay, or read from it for a relay stored before it was kept.</summary>
    private static uint OriginalCSeqOf(PendingRelay relay)
        => relay.OriginalCSeq != 0 ? relay.OriginalCSeq : SipParser.ParseTrusted(relay.Original).CSeq.Number;

    /// <summary>The relay a response or failure on <paramref name="callId"/> answers (and its callee leg, if on one), or -1.</summary>
    private int FindRelay(string callId, uint cseq, string method, out CalleeLeg? leg)
    {
        leg = callId == CallerCallId ? null : LegFor(callId);
        if (State.Relays.Count == 0 || (leg is null && callId != CallerCallId) || (leg is null && State.CallerSide >= 0))
        {
            return -1; // no relay, or on the caller leg a caller's transfer released
        }

        var sentOn = leg is null || leg.Number == State.CallerSide ? CallLeg.Caller : CallLeg.Callee;
        var number = leg?.Number ?? -1;
        return State.Relays.FindIndex(r => r.SentOn == sentOn && (sentOn == CallLeg.Caller || r.Leg == number) && r.CSeq == cseq && r.Method == method);
    }
}
