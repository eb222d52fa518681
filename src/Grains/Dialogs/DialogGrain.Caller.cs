using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Dialogs;

// Requests from the caller: the INVITE that starts the call, its ACK, CANCEL, and BYE.
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
            await RejectCallAsync(commands, 416);
            return;
        }

        var route = await _router.RouteAsync(dialled, invite.From.Uri, CancellationToken.None);
        if (route is null)
        {
            await RejectCallAsync(commands, 404);
            return;
        }

        State.Route = route.RouteName;
        State.Targets = [.. route.Targets.Select(t => t.User is null && dialled.User is not null ? t.WithUser(dialled.User) : t).Select(t => t.ToString())];
        State.TargetHops = [.. route.Targets.Select((_, i) => route.Hops is { } hops && i < hops.Count ? hops[i] : null)];
        State.TargetIndex = 0;
        await StartCalleeLegAsync(invite, commands);
    }

    /// <summary>
    /// Opens the callee leg to the current target: a Call-ID, tags and branch of its own. Durable before the leg
    /// exists, so a retried INVITE finds this state and forks no second leg.
    /// </summary>
    private async Task StartCalleeLegAsync(SipMessage invite, List<SipCommand> commands)
    {
        var target = SipUri.Parse(State.Targets[State.TargetIndex]);
        var destination = State.TargetIndex < State.TargetHops.Count && State.TargetHops[State.TargetIndex] is { } hop ? hop : SipTargets.For(target);
        State.CalleeUri = target.ToString();
        State.CalleePeer = destination;
        State.CalleeCallId = _callIds.Encode(CallerCallId);
        State.CalleeLocalCSeq = 1;
        State.CalleeTo = null;
        State.CalleeTarget = null;
        State.CalleeRouteSet = [];
        State.CalleeInvite = LegMessages.CalleeInvite(invite, State, target, destination, SipIds.NewBranch(), SipIds.NewTag());
        if (State.Phase == DialogPhase.None)
        {
            State.Phase = DialogPhase.Calling;
            CallMetrics.Active.Add(1);
            StartCallTimer();
        }
        else
        {
            State.Phase = DialogPhase.Calling; // a failover: no provisional on this leg yet, so a CANCEL waits for one
        }

        await _store.WriteStateAsync();
        commands.Add(new(SipCommandKind.Request, State.CalleeInvite, destination));
    }

    /// <summary>Fails over to the route's next target after 408, 5xx or no response; false when none is left.</summary>
    private async Task<bool> TryNextTargetAsync(int status, List<SipCommand> commands)
    {
        if (!(status == 408 || status is >= 500 and < 600) || State.TargetIndex + 1 >= State.Targets.Count)
        {
            return false;
        }

        Log.Failover(_logger, CallerCallId, State.CalleeUri!, status);
        State.TargetIndex++;
        await StartCalleeLegAsync(CallerInvite, commands);
        return true;
    }

    private async Task RejectCallAsync(List<SipCommand> commands, int status)
    {
        RespondToCaller(commands, status, null);
        await EndAsync(CallDisposition.Failed, status, HangupParty.None);
    }

    private void OnCallerAck(SipMessage ack, List<SipCommand> commands)
    {
        if (State.Phase != DialogPhase.Answered)
        {
            TryRelayAck(ack, CallLeg.Caller, commands); // the ACK of a relayed re-INVITE, or a retransmission
            return;
        }

        State.Phase = DialogPhase.Confirmed;
        if (State.CalleeAck is null)
        {
            // Late offer: the caller's answer rides on its ACK and goes on in ours.
            var (calleeAck, hop) = LegMessages.RequestToCallee(State, SipMethod.Ack, ack.Body, ack.ContentType);
            State.CalleeAck = calleeAck;
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
                var (toCallee, hop) = LegMessages.RequestToCallee(State, SipMethod.Bye);
                commands.Add(new(SipCommandKind.Request, toCallee, hop));
                await EndAsync(CallDisposition.Answered, 200, HangupParty.Caller);
                break;
            default:
                Respond(commands, bye, inbound.Source, 200, State.CallerTag); // a retried BYE: the CDR is already written
                break;
        }
    }
}
