using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// A leg's INVITE answered: its provisionals reach the caller (reliable ones under our RSeq), its 2xx wins the call
// (first answer wins), and an answer that does not win is acknowledged and hung up.
public sealed partial class CallMachine
{
    private void OnLegProvisional(CalleeLeg leg, SipMessage response)
    {
        if (SendPendingCancel(leg) || !leg.IsRinging || response.StatusCode == 100)
        {
            return; // 100 is hop by hop; a late 18x from a leg given up is dropped
        }

        if (State.Phase == DialogPhase.Calling)
        {
            _events.Milestone("ringing", _now - State.InviteTime);
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
            _events.LegRinging(leg.Uri);

            // A call that must ring on after a silo failure must know after it that this leg may be cancelled
            // (RFC 3261 §9.1: no CANCEL before a provisional), or its ring timeout could never stop it.
            _step.Save |= State.WakeUpRegistered;
        }

        var rseq = ReliableRSeqFor(leg, response);
        if (MediaForCalleeSdp(leg, response, reliable: rseq != 0) is { } media)
        {
            // The relay's answer (or, for a late offer in a reliable provisional, its offer) goes to the caller; if it
            // has none, the provisional goes without the callee's SDP.
            AskMedia(media, result =>
            {
                if (result.Ok && media.Kind == MediaKind.Offer)
                {
                    State.MediaAnchored = true;
                    State.MediaEarlyOffer = media.FromTag; // the caller's PRACK brings the answer
                }

                RespondToCaller(response.StatusCode, response.ReasonPhrase, response, rseq, sdp: result.Ok ? Bytes(result) : []);
            });
            return;
        }

        // An anchored call never shows the callee's own SDP (an unreliable provisional's, a retransmission's).
        RespondToCaller(response.StatusCode, response.ReasonPhrase, response, rseq, sdp: CarriesSdp(response) ? [] : null);
    }

    /// <summary>A ringing leg answered: in an anchored call its SDP is rewritten first (a relay failure refuses the answer, 503).</summary>
    private void OnLegAnswered(CalleeLeg leg, SipMessage answer)
    {
        if (MediaForCalleeSdp(leg, answer, reliable: false) is not { } media)
        {
            AcceptAnswer(leg, answer, sdp: CarriesSdp(answer) ? [] : null); // a repeat of an early offer: settled already
            return;
        }

        AskMedia(media, result =>
        {
            if (!result.Ok)
            {
                RefuseAnswerForMedia(leg, answer);
                return;
            }

            State.MediaAnchored = true;
            AcceptAnswer(leg, answer, Bytes(result));
        });
    }

    private void AcceptAnswer(CalleeLeg leg, SipMessage answer, byte[]? sdp)
    {
        TakeCalleeSession(leg, answer); // before the caller's 2xx, which says who refreshes its side
        leg.Status = LegStatus.Answered;
        leg.To = Encoding.UTF8.GetString(answer.RawValue(HeaderId.To));
        leg.RemoteTarget = answer.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null;
        leg.RouteSet = LegMessages.ReversedRouteSet(answer);
        State.AnsweredLeg = leg.Number;
        State.AnswerTime = _now;
        _events.Milestone("answer", _now - State.InviteTime);
        State.Phase = DialogPhase.Answered;
        State.FinalStatus = answer.StatusCode;
        State.CurrentDial = null;
        State.DialDeadline = null;
        State.Reliable.Clear();
        AbandonRingingLegs(); // first answer wins; the others get CANCEL (RFC 3261 §16.7 step 10 in spirit)
        StartCallTimer(); // ringing is over; the maximum duration starts
        if (CallerInvite.HasBody)
        {
            // The offer was in the INVITE, so this 2xx holds the answer: ACK the callee at once. The caller's ACK
            // then brings nothing the call needs unless it has a body, so its edge may keep it (one grain call less).
            (leg.Ack, var hop) = LegMessages.RequestToCallee(leg, SipMethod.Ack);
            _step.Commands.Add(new(SipCommandKind.Ack, leg.Ack, hop));
            State.AckAtEdge = true;
        }

        // Durable before the caller hears of it (the step saves before it sends): the answered call survives this
        // silo. With the store down the 200 still goes out (the callee has answered; refusing now would drop a live
        // call) and the write follows.
        _step.AnsweredBy = leg.Target;
        _step.Save = true;
        _events.Answered(leg.Uri);
        RespondToCaller(answer.StatusCode, answer.ReasonPhrase, answer, flags: State.AckAtEdge ? SipCommandFlags.EdgeTakesEmptyAck : SipCommandFlags.None, sdp: sdp);
        SdpSent(CallLeg.Caller, SdpOf(answer, sdp));
        if (CallerInvite.HasBody)
        {
            SdpSent(CallLeg.Callee, State.MediaOffer ?? CallerInvite.Body);
        }
    }

    /// <summary>
    /// A 2xx from a leg that cannot win: the winner's retransmitted 2xx gets our ACK again (before the caller's ACK
    /// of a late offer there is none yet: ours follows the caller's); any other (a second fork, a leg given up, an
    /// answer after the caller gave up) is acknowledged and hung up (RFC 3261 §13.2.2.4).
    /// </summary>
    private void OnUnwantedOrRepeatedAnswer(CalleeLeg leg, SipMessage answer)
    {
        if (leg.Status == LegStatus.Answered && leg.To == Encoding.UTF8.GetString(answer.RawValue(HeaderId.To)))
        {
            if (leg.Ack is not null)
            {
                _step.Commands.Add(new(SipCommandKind.Ack, leg.Ack, LegMessages.CalleeHop(leg)));
            }

            return;
        }

        _step.Commands.AddRange(LegMessages.RefuseAnswer(leg, answer));
    }
}
