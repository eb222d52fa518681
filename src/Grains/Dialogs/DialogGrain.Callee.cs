using CallControl.Calls;
using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Dialogs;

// The callee legs: responses to their INVITEs, and the callees' own requests (BYE, re-INVITE, ...).
public sealed partial class DialogGrain
{
    private async Task OnLegInviteResponse(CalleeLeg leg, SipMessage response, List<SipCommand> commands)
    {
        var status = response.StatusCode;
        if (status < 200)
        {
            await OnLegProvisionalAsync(leg, response, commands);
        }
        else if (status < 300)
        {
            await OnLegAnswerAsync(leg, response, commands);
        }
        else if (leg.Status is LegStatus.Calling or LegStatus.Early)
        {
            // The client transaction has ACKed it already.
            await OnLegFailedAsync(leg, status, response, commands);
        }
    }

    private async Task OnLegProvisionalAsync(CalleeLeg leg, SipMessage response, List<SipCommand> commands)
    {
        if (leg.CancelPending)
        {
            // Abandoned before this: now its CANCEL can go (RFC 3261 §9.1).
            leg.CancelPending = false;
            commands.Add(CancelLeg(leg));
            return;
        }

        if (!leg.IsRinging || State.Phase is not (DialogPhase.Calling or DialogPhase.Early) || response.StatusCode == 100)
        {
            return; // 100 is hop by hop; a late 18x after the answer, or from a leg given up, is dropped
        }

        if (State.Phase == DialogPhase.Calling)
        {
            CallMetrics.Setup.Record((_time.GetUtcNow() - State.InviteTime).TotalSeconds, new KeyValuePair<string, object?>("milestone", "ringing"));
        }

        State.Phase = DialogPhase.Early;
        var first = leg.Status == LegStatus.Calling;
        leg.Status = LegStatus.Early;
        if (response.To.Tag is not null && leg.To is null)
        {
            leg.To = Encoding.UTF8.GetString(response.RawValue(HeaderId.To));
            leg.RemoteTarget = response.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null;
            leg.RouteSet = LegMessages.ReversedRouteSet(response); // the early dialog's, for PRACK (RFC 3262 §4)
        }

        if (first)
        {
            Log.LegRinging(_logger, CallerCallId, leg.Uri);
        }

        if (first && State.WakeUpRegistered)
        {
            // A call that must ring on after a silo failure must know after it that this leg may be cancelled
            // (RFC 3261 §9.1: no CANCEL before a provisional), or its ring timeout could never stop it.
            await SaveAsync();
        }

        RespondToCaller(commands, response.StatusCode, response.ReasonPhrase, response, ReliableRSeqFor(leg, response));
    }

    private async Task OnLegAnswerAsync(CalleeLeg leg, SipMessage answer, List<SipCommand> commands)
    {
        var to = Encoding.UTF8.GetString(answer.RawValue(HeaderId.To));
        if (leg.IsRinging && State.Phase is DialogPhase.Calling or DialogPhase.Early)
        {
            leg.Status = LegStatus.Answered;
            leg.To = to;
            leg.RemoteTarget = answer.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null;
            leg.RouteSet = LegMessages.ReversedRouteSet(answer);
            State.AnsweredLeg = leg.Number;
            State.AnswerTime = _time.GetUtcNow();
            CallMetrics.Setup.Record((State.AnswerTime.Value - State.InviteTime).TotalSeconds, new KeyValuePair<string, object?>("milestone", "answer"));
            State.Phase = DialogPhase.Answered;
            State.FinalStatus = answer.StatusCode;
            State.CurrentDial = null;
            State.DialDeadline = null;
            State.Reliable.Clear();
            AbandonRingingLegs(commands); // first answer wins; the others get CANCEL (RFC 3261 §16.7 step 10 in spirit)
            StartCallTimer(); // ringing is over; the maximum duration starts
            if (CallerInvite.HasBody)
            {
                // The offer was in the INVITE, so this 2xx holds the answer: ACK the callee at once. The caller's ACK
                // then brings nothing the call needs unless it has a body, so its edge may keep it (one grain call less).
                (leg.Ack, var hop) = LegMessages.RequestToCallee(leg, SipMethod.Ack);
                commands.Add(new(SipCommandKind.Ack, leg.Ack, hop));
                State.AckAtEdge = true;
            }

            await TellFlowAnsweredAsync(leg);

            // Durable before the caller hears of it: the answered call survives this silo. With the store down the
            // 200 still goes out (the callee has answered; refusing now would drop a live call) and the write follows.
            await SaveAsync();
            Log.CallAnswered(_logger, CallerCallId, leg.Uri);
            RespondToCaller(commands, answer.StatusCode, answer.ReasonPhrase, answer, flags: State.AckAtEdge ? SipCommandFlags.EdgeTakesEmptyAck : SipCommandFlags.None);
        }
        else if (leg.Status == LegStatus.Answered && to == leg.To)
        {
            if (leg.Ack is not null)
            {
                commands.Add(new(SipCommandKind.Ack, leg.Ack, SipTargets.NextHop(leg.RemoteTarget ?? leg.Uri, leg.RouteSet, leg.Peer.Transport)));
            }

            // else a retransmission before the caller's ACK (late offer): our ACK follows the caller's
        }
        else
        {
            // Another leg or fork answered first, or the caller already gave up: ACK it and hang it up (RFC 3261 §13.2.2.4).
            commands.AddRange(LegMessages.RefuseAnswer(leg, answer));
        }
    }

    private async Task OnCalleeRequest(CalleeLeg leg, SipMessage request, SipInbound inbound, List<SipCommand> commands)
    {
        var answered = leg.Number == State.AnsweredLeg;
        switch (request.Method)
        {
            case SipMethod.Bye when answered && State.Phase is DialogPhase.Answered or DialogPhase.Confirmed:
                Respond(commands, request, inbound.Source, 200, null);
                var (toCaller, hop) = LegMessages.RequestToCaller(CallerInvite, State, SipMethod.Bye);
                commands.Add(new(SipCommandKind.Request, toCaller, hop, SipCommandFlags.NoReport));
                await EndAsync(CallDisposition.Answered, 200, HangupParty.Callee);
                break;
            case SipMethod.Bye when leg.IsRinging && State.Phase is DialogPhase.Calling or DialogPhase.Early:
                // The callee hung up its early dialog: that leg fails as unavailable; others may still answer.
                Respond(commands, request, inbound.Source, 200, null);
                await OnLegFailedAsync(leg, 480, response: null, commands);
                break;
            case SipMethod.Bye or SipMethod.Options when State.Phase == DialogPhase.Ended || !answered:
                Respond(commands, request, inbound.Source, 200, null);
                break;
            case SipMethod.Ack:
                TryRelayAck(request, CallLeg.Callee, commands);
                break;
            case SipMethod.Options:
                Respond(commands, request, inbound.Source, 200, null);
                break;
            case not SipMethod.Unknown when answered:
                await RelayRequestAsync(request, inbound, CallLeg.Callee, commands);
                break;
            default:
                Respond(commands, request, inbound.Source, State.Phase == DialogPhase.None || !answered ? 481 : 501, null);
                break;
        }
    }

    private static CallDisposition DispositionFor(int status) => status switch
    {
        486 or 600 => CallDisposition.Busy,
        487 => CallDisposition.Cancelled,
        408 or 480 => CallDisposition.NoAnswer,
        _ => CallDisposition.Failed,
    };
}
