using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Transfer (REFER, RFC 3515; docs/call-flows.md, "Transfers"), handled by the B2BUA rather than relayed: the REFER of
// a party of the answered call (the transferor) is put to the flow; allowed, it gets 202 and a NOTIFY "100 Trying", and
// a new callee leg goes to the target through the dial plan, offered the other party's (the transferee's) media. On the
// target's 2xx the transferor hears "200 OK" and gets a BYE, the transferee a re-INVITE toward the new party, and the
// new leg carries the call. On a failure (3xx–6xx, no answer, the ring timeout) the transferor hears that status and
// the call goes on untouched. The transfer is saved before the 202 goes (PendingTransfer), so a silo failure still
// ends it with its NOTIFY and the right legs.
public sealed partial class CallMachine
{
    // The REFER whose flow decision is awaited (TransferQuestion), and who sent it.
    private Happening _refer;
    private TransferParty _referFrom;
    private bool _referAttended;

    /// <summary>A REFER from a party of the answered call.</summary>
    private void OnRefer(in Happening happening, TransferParty from)
    {
        var request = happening.Request;
        var tag = from == TransferParty.Caller ? State.CallerTag : null;
        if (State.Transfer is not null || State.Relays.Exists(r => r.Method == "INVITE"))
        {
            Respond(happening, 491, tag); // one transfer, and one offer/answer, at a time
            return;
        }

        if (request.GetHeaders(HeaderId.ReferTo).Count != 1 || request.Addresses(HeaderId.ReferTo) is not [var referTo] || !referTo.Uri.IsSip)
        {
            Respond(happening, 400, tag); // RFC 3515 §2.4.1: exactly one Refer-To, and we dial only SIP URIs
            return;
        }

        ReplacedDialog? replaces = null;
        if (TransferMessages.Replaces(referTo.Uri))
        {
            if (!ReplacedDialog.TryParse(referTo.Uri, out var named))
            {
                Respond(happening, 400, tag); // RFC 3891 §6.1: a Call-ID, a to-tag and a from-tag
                return;
            }

            replaces = named; // attended: the target is the far party of the transferor's other call (the host finds it)
        }

        if (TransfereeOffer(from) is null)
        {
            Respond(happening, 488, tag); // the transferee's media is not known (a late offer passed through): nothing to offer the target
            return;
        }

        _refer = happening;
        _referFrom = from;
        _referAttended = replaces is not null;
        var referredBy = request.Addresses(HeaderId.ReferredBy) is [var by, ..] ? by.Uri.ToString() : null;
        var transfer = new TransferRequest(from, referTo.Uri.ForRequestUri().ToString(), referredBy, Attended: replaces is not null);
        _events.TransferAsked(from, transfer.ReferTo);
        Ask(new TransferQuestion(transfer, CallerInvite.From.Uri) { Replaces = replaces });
    }

    /// <summary>The flow's decision and the target's route: the REFER is refused, or accepted and its target dialled.</summary>
    private void OnTransferDecided(TransferDecided decided)
    {
        var refer = _refer;
        var from = _referFrom;
        _refer = default;
        var request = refer.Request;
        var tag = from == TransferParty.Caller ? State.CallerTag : null;
        var decision = decided.Decision;
        if (!decision.Allowed)
        {
            _events.TransferRefused(decision.Status);
            _step.Commands.Add(SipCommand.Response(LegMessages.Response(request, decision.Status, tag, decision.Reason), request, refer.Source));
            return;
        }

        State.DialNumber++;
        var target = decision.Target ?? (decided.Targets.Count > 0 ? decided.Targets[0].Uri : "");
        var transfer = new PendingTransfer
        {
            Transferor = from,
            TransferorLeg = from == TransferParty.Callee ? refer.Leg!.Number : State.CallerSide,
            Dial = State.DialNumber,
            Target = target,
            User = SipUri.TryParse(decision.Target ?? request.Addresses(HeaderId.ReferTo)[0].Uri.ToString(), out var dialled) ? dialled.User : null,
            Deadline = _now + _options.RingTimeout,
            Quiet = TransferMessages.WantsNoSubscription(request),
            ReferCSeq = request.CSeq.Number,
            Attended = _referAttended,
        };
        State.Transfer = transfer;
        _step.Commands.Add(SipCommand.Response(TransferMessages.Accepted(request, tag, transfer.Quiet), request, refer.Source));
        Notify(transfer, 100, null, final: false);
        if (decided.Targets.Count == 0)
        {
            TransferFailed(404, null); // the dial plan has no route for it
            return;
        }

        var transferee = from == TransferParty.Callee ? CallLeg.Caller : CallLeg.Callee;
        if (State.MediaAnchored)
        {
            // The transferee's media as the relay offers it toward a new callee: its own side of the session stays.
            AskMedia(new MediaRequest(MediaKind.Offer, MediaTagOf(transferee), null, Text(TransfereeOffer(from)!.Value), MediaSourceOf(transferee)) { Toward = State.MediaCallee }, result =>
            {
                if (!result.Ok)
                {
                    TransferFailed(503, "Media Unavailable");
                    return;
                }

                transfer.Offer = Bytes(result);
                DialTransfer(decided.Targets);
            });
            return;
        }

        transfer.Offer = TransfereeOffer(from)!.Value.ToArray();
        DialTransfer(decided.Targets);
    }

    /// <summary>The transfer's legs: one per target the dial plan gave, all at once; durable (with the transfer) before any INVITE goes.</summary>
    private void DialTransfer(IReadOnlyList<DialTarget> targets)
    {
        var started = OpenLegs([.. targets.Select(t => (t, 0))]);
        if (started.Count == 0)
        {
            TransferFailed(404, null);
            return;
        }

        SendWhenStored(started);
    }

    /// <summary>What a transfer does in the answered call while it is under way; false for anything else.</summary>
    private bool Transferring(in Happening happening)
    {
        if (State.Transfer is not { } transfer)
        {
            return false;
        }

        var leg = happening.Leg;
        var ofTransfer = leg is not null && leg.Dial == transfer.Dial && leg.IsRinging;
        switch (happening.Kind)
        {
            case HappeningKind.LegProvisional when ofTransfer:
                OnTransferProvisional(transfer, leg!, happening.Message!);
                return true;
            case HappeningKind.LegSuccess when ofTransfer:
                OnTransferAnswered(transfer, leg!, happening.Message!);
                return true;
            case HappeningKind.LegFailure or HappeningKind.LegUnreachable when ofTransfer:
                if (!TryNextHop(happening) && !TryLongerSession(happening))
                {
                    OnRingingLegFailed(happening);
                }

                return true;
            case HappeningKind.LegChallenged when ofTransfer:
                OnLegChallenged(happening); // the INVITE again with credentials, or the leg fails (OnRingingLegFailed)
                return true;
            case HappeningKind.TransferTimeout:
                AbandonRingingLegs();
                TransferFailed(480, null);
                return true;
            case HappeningKind.CallerBye or HappeningKind.CalleeBye when SideOf(happening) is { } side:
                Respond(happening, 200, side == CallLeg.Caller ? State.CallerTag : null);
                if (side == TransferorSide(transfer))
                {
                    // A blind transferor often hangs up once the REFER is accepted: the transfer goes on without its NOTIFYs.
                    transfer.TransferorGone = true;
                    _step.Save = true;
                    return true;
                }

                if (!transfer.TransferorGone)
                {
                    ByeTo(TransferorSide(transfer));
                }

                // The transferee hung up: the call ends, and the transfer's ringing legs get their CANCEL there.
                End(CallDisposition.Answered, 200, side == CallLeg.Caller ? HangupParty.Caller : HangupParty.Callee);
                return true;
            default:
                return false;
        }
    }

    private void OnTransferProvisional(PendingTransfer transfer, CalleeLeg leg, SipMessage response)
    {
        if (SendPendingCancel(leg) || response.StatusCode == 100)
        {
            return;
        }

        var first = leg.Status == LegStatus.Calling;
        leg.Status = LegStatus.Early;
        if (Reliable.RSeqOf(response) is not 0 and var rseq && response.To.Tag is not null)
        {
            // A reliable provisional (we offered 100rel when the caller did): the call PRACKs it itself, in its early
            // dialog (RFC 3262 §4), since no party on the other side waits for it.
            leg.To = Encoding.UTF8.GetString(response.RawValue(HeaderId.To));
            leg.RemoteTarget = response.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : leg.RemoteTarget;
            leg.RouteSet = LegMessages.ReversedRouteSet(response);
            var (prack, hop) = LegMessages.RequestToCallee(leg, "PRACK", relayed: null, cseq: null, (HeaderId.RAck, $"{rseq} {leg.InviteCSeq} INVITE"));
            _step.Commands.Add(new(SipCommandKind.Request, prack, hop, SipCommandFlags.NoReport));
        }

        if (first)
        {
            _events.LegRinging(leg.Uri);
            Notify(transfer, response.StatusCode, response.ReasonPhrase, final: false); // "180 Ringing": the transferor sees it ring
        }
    }

    /// <summary>The target answered: it takes the transferor's place in the call.</summary>
    private void OnTransferAnswered(PendingTransfer transfer, CalleeLeg leg, SipMessage answer)
    {
        if (!State.MediaAnchored || !CarriesSdp(answer))
        {
            CompleteTransfer(transfer, leg, answer, CarriesSdp(answer) || answer.HasBody ? answer.Body.ToArray() : null);
            return;
        }

        var callee = answer.To.Tag ?? leg.CallId;
        var transferee = TransferorSide(transfer) == CallLeg.Caller ? CallLeg.Callee : CallLeg.Caller;
        AskMedia(new MediaRequest(MediaKind.Answer, MediaTagOf(transferee), callee, Text(answer.Body), leg.Peer.Host) { Toward = MediaProfileOf(transferee) }, result =>
        {
            if (!result.Ok)
            {
                leg.Status = LegStatus.Failed;
                leg.FinalStatus = 503;
                _step.Commands.AddRange(LegMessages.RefuseAnswer(leg, answer));
                TransferFailed(503, "Media Unavailable");
                return;
            }

            CompleteTransfer(transfer, leg, answer, Bytes(result));
        });
    }

    /// <summary>
    /// The new leg carries the call: it is acknowledged, the transferor hears "200 OK" and gets a BYE, the transferee a
    /// re-INVITE with the new party's media (<paramref name="sdp"/>, as the relay rewrote it when media is anchored).
    /// </summary>
    private void CompleteTransfer(PendingTransfer transfer, CalleeLeg leg, SipMessage answer, byte[]? sdp)
    {
        var byCaller = transfer.Transferor == TransferParty.Caller;
        var released = byCaller ? CallerSideLeg?.Uri ?? CallerInvite.From.Uri.ToString() : State.Legs[transfer.TransferorLeg].Uri;
        leg.Status = LegStatus.Answered;
        leg.To = Encoding.UTF8.GetString(answer.RawValue(HeaderId.To));
        leg.RemoteTarget = answer.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null;
        leg.RouteSet = LegMessages.ReversedRouteSet(answer);
        (leg.Ack, var hop) = LegMessages.RequestToCallee(leg, SipMethod.Ack); // the offer was in our INVITE: its answer is here
        _step.Commands.Add(new(SipCommandKind.Ack, leg.Ack, hop));
        AbandonRingingLegs(); // the transfer's other targets, if the route rang several

        Notify(transfer, answer.StatusCode, answer.ReasonPhrase, final: true);
        if (!transfer.TransferorGone)
        {
            ByeTo(TransferorSide(transfer)); // after its NOTIFY, on the same dialog
        }

        if (byCaller)
        {
            // The callee stays, on the caller's side now; the new party is the answered leg (CallMachine.CallerSide.cs).
            State.CallerSide = State.AnsweredLeg;
            State.CallerSdp = State.CalleeSdp;
            State.MediaCaller = State.MediaCallee;
        }

        State.AnsweredLeg = leg.Number;
        State.Transfer = null;
        KeepCalleeSdp(answer);
        TakeCalleeSession(leg, answer);
        State.Transfers.Add(new CallTransferRecord { At = _now, By = byCaller ? "caller" : "callee", From = released, To = leg.Uri, Attended = transfer.Attended });
        if (sdp is { Length: > 0 })
        {
            SendOwnReinvite(CallLeg.Caller, sdp); // the transferee's media now goes to the new party (or its relay side)
        }

        _step.Save = true;
        _events.Transferred(transfer.Transferor, leg.Uri);
    }

    /// <summary>No leg of the transfer answered: the transferor hears why, and the call goes on as it was.</summary>
    private void OnTransferLegsFailed(PendingTransfer transfer)
    {
        var best = BestOf(State.Legs.FindAll(l => l.Dial == transfer.Dial));
        var reason = best?.FinalResponse is { } bytes ? Sip.Parsing.SipParser.ParseTrusted(bytes).ReasonPhrase : null;
        TransferFailed(best?.FinalStatus ?? 480, reason);
    }

    /// <summary>
    /// The transfer failed with <paramref name="status"/>: the transferor hears it (a final NOTIFY) and the call goes on;
    /// when the transferor has hung up already, the transferee has nobody left and the call ends.
    /// </summary>
    private void TransferFailed(int status, string? reason)
    {
        var transfer = State.Transfer!;
        foreach (var leg in State.Legs)
        {
            if (leg.Dial == transfer.Dial)
            {
                leg.FinalResponse = null; // kept only while it could tell the transferor why
            }
        }

        Notify(transfer, status, reason, final: true);
        State.Transfer = null;
        _step.Save = true;
        _events.TransferFailed(transfer.Transferor, status);
        if (transfer.TransferorGone)
        {
            var transferor = TransferorSide(transfer);
            ByeTo(transferor == CallLeg.Caller ? CallLeg.Callee : CallLeg.Caller);
            End(CallDisposition.Answered, 200, transferor == CallLeg.Caller ? HangupParty.Caller : HangupParty.Callee);
        }
    }

    /// <summary>A NOTIFY on the transferor's dialog with <paramref name="status"/> as its sipfrag (RFC 3515 §2.4.4), unless it wants none or is gone.</summary>
    private void Notify(PendingTransfer transfer, int status, string? reason, bool final)
    {
        if (transfer.Quiet || transfer.TransferorGone)
        {
            return;
        }

        var expires = (int)Math.Ceiling((transfer.Deadline - _now).TotalSeconds) + 30;
        var notify = TransferMessages.Notify(transfer.ReferCSeq, status, reason, final, Math.Max(expires, 30));
        var (message, destination) = transfer.Transferor == TransferParty.Callee
            ? LegMessages.RequestToCallee(State.Legs[transfer.TransferorLeg], "NOTIFY", notify, cseq: null)
            : ToCallerSide("NOTIFY", notify);
        _step.Commands.Add(new(SipCommandKind.Request, message, destination, SipCommandFlags.NoReport));
    }

    /// <summary>
    /// The transferee's media description, offered to the target: for a callee's transfer, the caller side's last SDP
    /// (the relay took it) or the offer in the caller's INVITE; for a caller's, the answered callee's last SDP. Null when
    /// it is not known (a caller's late offer, whose SDP came in an ACK the call did not keep).
    /// </summary>
    private ReadOnlyMemory<byte>? TransfereeOffer(TransferParty transferor)
    {
        if (transferor == TransferParty.Caller)
        {
            return State.CalleeSdp is { } callee ? Encoding.UTF8.GetBytes(callee) : null;
        }

        return State.CallerSdp is { } sdp ? Encoding.UTF8.GetBytes(sdp) : CallerSideLeg is null && CallerInvite.HasBody ? CallerInvite.Body : null;
    }

    /// <summary>Keeps the answered callee's SDP when the relay does not (media passed through): a transfer by the caller offers it.</summary>
    private void KeepCalleeSdp(SipMessage answer)
    {
        if (!_anchor && answer.HasBody && (answer.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            State.CalleeSdp = Text(answer.Body);
        }
    }

    /// <summary>The side a transferor is on.</summary>
    private static CallLeg TransferorSide(PendingTransfer transfer) => transfer.Transferor == TransferParty.Caller ? CallLeg.Caller : CallLeg.Callee;

    /// <summary>The side a BYE came from: the caller side, the answered callee, or null (a leg that does not carry the call).</summary>
    private CallLeg? SideOf(in Happening happening) => happening.Kind switch
    {
        HappeningKind.CallerBye => CallLeg.Caller,
        HappeningKind.CalleeBye when happening.Leg is { } leg && leg.Number == State.AnsweredLeg => CallLeg.Callee,
        _ => null,
    };

    /// <summary>A BYE to a side of the answered call.</summary>
    private void ByeTo(CallLeg side)
    {
        if (side == CallLeg.Caller)
        {
            SendToCaller(SipMethod.Bye);
        }
        else
        {
            SendToCallee(SipMethod.Bye);
        }
    }

    /// <summary>The call ends while a transfer is under way: its target's legs are given up.</summary>
    private void AbandonTransfer()
    {
        if (State.Transfer is not null)
        {
            AbandonRingingLegs();
            State.Transfer = null;
        }
    }
}
