namespace CallControl.Calls;

// What a call does the same in every phase once it exists: answers OPTIONS, refuses what it cannot serve, relays the
// answers to requests it relayed, acknowledges and hangs up answers it did not want, and lets the CANCEL of a leg it
// abandoned before the leg's first provisional go out on that provisional (RFC 3261 §9.1).
public sealed partial class CallMachine
{
    private void AnyPhase(in Happening happening)
    {
        var fromAnswered = happening.Leg is { } leg && leg.Number == State.AnsweredLeg;
        switch (happening.Kind)
        {
            case HappeningKind.UnknownDialog:
                Respond(happening, 481, toTag: null);
                break;
            case HappeningKind.CallerOptions:
                Respond(happening, 200, State.CallerTag);
                break;
            case HappeningKind.CalleeOptions or HappeningKind.CalleeBye:
                Respond(happening, 200, toTag: null); // a BYE from a leg that lost the answer, or after the end
                break;
            case HappeningKind.CallerCancel:
                Respond(happening, 200, State.CallerTag); // too late to cancel: the INVITE has its final response (§9.2)
                break;
            case HappeningKind.CallerPrack:
                Respond(happening, 481, State.CallerTag); // no reliable provisional of ours awaits it (RFC 3262 §3)
                break;
            case HappeningKind.CallerUnsupported:
                Respond(happening, 501, State.CallerTag);
                break;
            case HappeningKind.CalleeRequest:
                Respond(happening, 481, toTag: null); // from a leg that did not win the call
                break;
            case HappeningKind.CalleeUnsupported:
                Respond(happening, fromAnswered ? 501 : 481, toTag: null);
                break;
            case HappeningKind.CallerAck:
                TryRelayAck(happening.Request, CallLeg.Caller); // the ACK of a relayed re-INVITE's 2xx, or a retransmission
                break;
            case HappeningKind.CalleeAck:
                TryRelayAck(happening.Request, CallLeg.Callee);
                break;
            case HappeningKind.RelayedResponse:
                RelayResponse(happening);
                break;
            case HappeningKind.RelayFailed:
                FailRelay(happening);
                break;
            case HappeningKind.LegProvisional:
                SendPendingCancel(happening.Leg!);
                break;
            case HappeningKind.LegSuccess:
                OnUnwantedOrRepeatedAnswer(happening.Leg!, happening.Message!);
                break;
            case HappeningKind.LegFailure or HappeningKind.LegUnreachable:
                RecordLegFailure(happening); // a leg already given up: its end changes nothing
                break;
            case HappeningKind.LegChallenged:
                RecordLegFailure(happening with { Status = 403 }); // given up already: not worth authenticating
                break;
            case HappeningKind.ByeChallenged:
                OnByeChallenged(happening); // the call's BYE again with credentials (CallMachine.Auth.cs)
                break;
        }
    }
}
