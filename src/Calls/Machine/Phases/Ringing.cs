namespace CallControl.Calls;

// Ringing: the legs' INVITEs are out (DialogPhase.Calling), or one has sent a provisional (Early: the early dialogs of
// RFC 3261 §12.1). The caller may give up (CANCEL, or a BYE in an early dialog); a leg may ring, answer, fail or
// never answer; the ring timeouts may pass.
//
// The race the RFC leaves to us, both ways round. The caller's CANCEL arrives first: it gets 200, the caller's INVITE
// gets 487, each ringing leg is abandoned (its CANCEL goes now, or on its first provisional: §9.1) and the call ends
// with its CDR (Cancelled, 487); the callee's 486 that crossed that CANCEL then finds the call Terminated and its leg
// abandoned: the edge's client transaction has ACKed it, and nothing else happens. The callee's 486 arrives first:
// the leg fails, and the next target rings, or the flow decides, or the caller gets the best final response (486, so
// the CDR says Busy); the caller's CANCEL then finds the call Terminated and gets 200 for itself alone (§9.2: the
// INVITE already has its final response).
public sealed partial class CallMachine
{
    private bool Ringing(in Happening happening)
    {
        switch (happening.Kind)
        {
            case HappeningKind.InitialInvite:
                return true; // the same INVITE again (another edge): its call is already under way
            case HappeningKind.CallerCancel or HappeningKind.CallerBye:
                Respond(happening, 200, State.CallerTag); // a CANCEL always gets 200 once the call is known (§9.2)
                StopRinging(487, CallDisposition.Cancelled, HangupParty.Caller);
                return true;
            case HappeningKind.CallerPrack:
                RelayPrack(happening);
                return true;
            case HappeningKind.CallerRequest:
                Respond(happening, 491, State.CallerTag); // nothing to relay it to before the answer
                return true;
            case HappeningKind.LegProvisional:
                OnLegProvisional(happening.Leg!, happening.Message!);
                return true;
            case HappeningKind.LegSuccess when happening.Leg!.IsRinging:
                OnLegAnswered(happening.Leg, happening.Message!);
                return true;
            case HappeningKind.LegFailure or HappeningKind.LegUnreachable:
                if (!TryNextHop(happening) && !TryLongerSession(happening))
                {
                    OnRingingLegFailed(happening);
                }

                return true;
            case HappeningKind.LegChallenged when happening.Leg!.IsRinging:
                OnLegChallenged(happening); // the INVITE again with credentials, or the leg fails (CallMachine.Auth.cs)
                return true;
            case HappeningKind.CalleeBye when happening.Leg!.IsRinging:
                // The callee hung up its early dialog: that leg fails as unavailable; others may still answer.
                Respond(happening, 200, toTag: null);
                OnRingingLegFailed(happening with { Status = 480 });
                return true;
            case HappeningKind.RingTimeout:
                _events.NoAnswer();
                StopRinging(480, CallDisposition.NoAnswer, HangupParty.System);
                return true;
            case HappeningKind.DialTimeout:
                OnDialTimeout();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A leg of the ringing call failed: the call goes on with its other legs, the next target, or the flow's decision.</summary>
    private void OnRingingLegFailed(in Happening happening)
    {
        var leg = happening.Leg!;
        var wasRinging = leg.IsRinging;
        RecordLegFailure(happening);
        if (State.Transfer is { } transfer && leg.Dial == transfer.Dial)
        {
            if (wasRinging && !State.Legs.Exists(l => l.Dial == transfer.Dial && l.IsRinging))
            {
                OnTransferLegsFailed(transfer); // a transfer's target (CallMachine.Transfer.cs): the call goes on
            }

            return;
        }

        if (wasRinging && leg.Dial == State.DialNumber && !State.Legs.Exists(l => l.Dial == State.DialNumber && l.IsRinging))
        {
            OnRingEnded();
        }

        // else a leg already given up, or others of this dial still ring
    }
}
