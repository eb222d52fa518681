using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Up: a leg answered and the 2xx went to the caller. Until the caller's ACK the call is Accepted (RFC 6026:
// DialogPhase.Answered), then Confirmed (RFC 3261 §12). Either party may hang up, either may send in-dialog requests,
// which are relayed to the other, and the maximum duration may pass.
public sealed partial class CallMachine
{
    /// <summary>Accepted: the caller's ACK of our 2xx is awaited.</summary>
    private bool Accepted(in Happening happening)
    {
        switch (happening.Kind)
        {
            case HappeningKind.CallerAck:
                Confirm(happening.Request);
                return true;
            case HappeningKind.AckTimeout:
                // The caller never confirmed the answer (RFC 3261 §13.3.1.4): end both legs.
                _events.AckTimeout();
                HangUpBothLegs();
                return true;
            default:
                return Up(happening);
        }
    }

    /// <summary>Accepted or Confirmed.</summary>
    private bool Up(in Happening happening)
    {
        var fromAnswered = happening.Leg is { } leg && leg.Number == State.AnsweredLeg;
        switch (happening.Kind)
        {
            case HappeningKind.CallerBye:
                Respond(happening, 200, State.CallerTag);
                SendToCallee(SipMethod.Bye);
                End(CallDisposition.Answered, 200, HangupParty.Caller);
                return true;
            case HappeningKind.CalleeBye when fromAnswered:
                Respond(happening, 200, toTag: null);
                SendToCaller(SipMethod.Bye);
                End(CallDisposition.Answered, 200, HangupParty.Callee);
                return true;
            case HappeningKind.CallerRequest:
                RelayRequest(happening, CallLeg.Caller);
                return true;
            case HappeningKind.CalleeRequest when fromAnswered:
                RelayRequest(happening, CallLeg.Callee);
                return true;
            case HappeningKind.SessionTimer:
                OnSessionTimer();
                return true;
            case HappeningKind.MaxDuration:
                _events.MaxDuration();
                HangUpBothLegs();
                return true;
            case HappeningKind.MediaLost:
                Reanchor();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The caller's ACK of the answer: the call is confirmed; with a late offer, its answer goes on in our ACK.</summary>
    private void Confirm(SipMessage ack)
    {
        State.Phase = DialogPhase.Confirmed;
        var leg = State.Answered!;
        if (leg.Ack is not null)
        {
            return;
        }

        if (State.MediaAnchored && !CallerInvite.HasBody && CarriesSdp(ack))
        {
            // A late offer's answer: rewritten for the callee, who offered. Without the relay the call cannot carry
            // media: the ACK goes as it came (the callee's transaction needs it) and both legs are hung up.
            AskMedia(new MediaRequest(MediaKind.Answer, CalleeMediaTag(leg), CallerMediaTag, Text(ack.Body), State.CallerPeer!.Host) { Toward = State.MediaCallee }, result =>
            {
                AckCallee(leg, result.Ok ? Bytes(result) : ack.Body, ack.ContentType);
                if (!result.Ok)
                {
                    HangUpBothLegs();
                }
            });
            return;
        }

        AckCallee(leg, ack.Body, ack.ContentType);
    }

    private void AckCallee(CalleeLeg leg, ReadOnlyMemory<byte> body, string? contentType)
    {
        var (calleeAck, hop) = LegMessages.RequestToCallee(leg, SipMethod.Ack, body, contentType);
        leg.Ack = calleeAck;
        _step.Commands.Add(new(SipCommandKind.Ack, calleeAck, hop));
        SdpSent(CallLeg.Callee, body);
    }
}
