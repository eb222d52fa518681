using CallControl.Calls;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Dialogs;

// Requests from the caller: the INVITE that starts the call, its ACK, CANCEL, PRACK and BYE.
public sealed partial class DialogGrain
{
    private async Task OnCallerRequest(SipMessage request, SipInbound inbound, List<SipCommand> commands)
    {
        switch (request.Method)
        {
            case SipMethod.Invite when request.To.Tag is null:
                if (State.Phase == DialogPhase.None)
                {
                    await StartCallAsync(request, inbound, commands);
                }

                // else: the same INVITE again (another edge): its call is already under way.
                break;
            case SipMethod.Ack:
                OnCallerAck(request, commands);
                break;
            case SipMethod.Cancel:
                await OnCallerCancelAsync(request, inbound, commands);
                break;
            case SipMethod.Bye:
                await OnCallerByeAsync(request, inbound, commands);
                break;
            case SipMethod.Prack:
                OnCallerPrack(request, inbound, commands);
                break;
            case SipMethod.Options when State.Phase != DialogPhase.None:
                Respond(commands, request, inbound.Source, 200, State.CallerTag);
                break;
            case not SipMethod.Unknown when request.To.Tag is not null:
                await RelayRequestAsync(request, inbound, CallLeg.Caller, commands);
                break;
            default:
                Respond(commands, request, inbound.Source, State.Phase == DialogPhase.None ? 481 : 501, State.CallerTag);
                break;
        }
    }

    private async Task StartCallAsync(SipMessage invite, SipInbound inbound, List<SipCommand> commands)
    {
        State.CallerInvite = inbound.Message;
        State.CallerPeer = inbound.Source;
        State.Edge = inbound.Edge;
        State.CallerTag = SipIds.NewTag();
        State.InviteTime = _time.GetUtcNow();
        _callerInvite = invite;
        CallMetrics.Attempts.Add(1);
        Log.CallStarted(_logger, CallerCallId, invite.RequestUri, inbound.Source);

        // The edge has screened the request (scheme, Require, body type, Max-Forwards: RequestScreening).
        if (!SipUri.TryParse(invite.RequestUri, out var dialled))
        {
            await RejectCallAsync(commands, 416, null);
            return;
        }

        var route = await _router.RouteAsync(dialled, invite.From.Uri, CancellationToken.None);
        if (route is null)
        {
            await RejectCallAsync(commands, 404, null);
            return;
        }

        State.Route = route.RouteName;
        State.Flow = route.Flow;
        State.FlowParameters = route.FlowParameters;
        State.RouteTargets = [.. route.Targets];
        State.Facts = CallFactsOf(invite, dialled, inbound.Source, route.RouteName);
        State.Phase = DialogPhase.Calling;
        CallMetrics.Active.Add(1);
        StartCallTimer();
        await FollowFlowAsync(await AskFlowAsync((flow, context) => flow.OnCallAsync(context)), commands);
    }

    private async Task RejectCallAsync(List<SipCommand> commands, int status, string? reason)
    {
        RespondToCaller(commands, status, reason);
        await EndAsync(DispositionFor(status), status, HangupParty.None);
    }

    private void OnCallerAck(SipMessage ack, List<SipCommand> commands)
    {
        if (State.Phase != DialogPhase.Answered)
        {
            TryRelayAck(ack, CallLeg.Caller, commands); // the ACK of a relayed re-INVITE, or a retransmission
            return;
        }

        State.Phase = DialogPhase.Confirmed;
        var leg = State.Answered!;
        if (leg.Ack is null)
        {
            // Late offer: the caller's answer rides on its ACK and goes on in ours.
            var (calleeAck, hop) = LegMessages.RequestToCallee(leg, SipMethod.Ack, ack.Body, ack.ContentType);
            leg.Ack = calleeAck;
            commands.Add(new(SipCommandKind.Ack, calleeAck, hop));
        }
    }

    private async Task OnCallerCancelAsync(SipMessage cancel, SipInbound inbound, List<SipCommand> commands)
    {
        if (State.Phase == DialogPhase.None)
        {
            Respond(commands, cancel, inbound.Source, 481, toTag: null);
            return;
        }

        // The CANCEL itself always gets 200 once the call is known (RFC 3261 §9.2), even when it is too late.
        Respond(commands, cancel, inbound.Source, 200, State.CallerTag);
        if (State.Phase is DialogPhase.Calling or DialogPhase.Early)
        {
            await StopRingingAsync(commands, 487, CallDisposition.Cancelled, HangupParty.Caller);
        }
    }

    private async Task OnCallerByeAsync(SipMessage bye, SipInbound inbound, List<SipCommand> commands)
    {
        switch (State.Phase)
        {
            case DialogPhase.None:
                Respond(commands, bye, inbound.Source, 481, toTag: null);
                break;
            case DialogPhase.Calling or DialogPhase.Early:
                Respond(commands, bye, inbound.Source, 200, State.CallerTag);
                await StopRingingAsync(commands, 487, CallDisposition.Cancelled, HangupParty.Caller);
                break;
            case DialogPhase.Answered or DialogPhase.Confirmed:
                Respond(commands, bye, inbound.Source, 200, State.CallerTag);
                var (toCallee, hop) = LegMessages.RequestToCallee(State.Answered!, SipMethod.Bye);
                commands.Add(new(SipCommandKind.Request, toCallee, hop, SipCommandFlags.NoReport));
                await EndAsync(CallDisposition.Answered, 200, HangupParty.Caller);
                break;
            default:
                Respond(commands, bye, inbound.Source, 200, State.CallerTag); // a retried BYE: the CDR is already written
                break;
        }
    }
}
