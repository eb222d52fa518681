using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Grains.Dialogs;

// The callee leg: responses to our INVITE, and the callee's own requests (BYE).
public sealed partial class DialogGrain
{
    private async Task OnCalleeInviteResponse(SipMessage response, List<SipCommand> commands)
    {
        var status = response.StatusCode;
        if (status < 200)
        {
            OnCalleeProvisional(response, commands);
        }
        else if (status < 300)
        {
            await OnCalleeAnswerAsync(response, commands);
        }
        else if (State.Phase is DialogPhase.Calling or DialogPhase.Early)
        {
            // The client transaction has ACKed it already: try the next target, or relay it and end.
            if (await TryNextTargetAsync(status, commands))
            {
                return;
            }

            RespondToCaller(commands, status, response.ReasonPhrase, response);
            await EndAsync(DispositionFor(status), status, HangupParty.None);
        }
    }

    private void OnCalleeProvisional(SipMessage response, List<SipCommand> commands)
    {
        if (State.CancelPending)
        {
            // The caller cancelled before this: now the CANCEL can go (RFC 3261 §9.1).
            State.CancelPending = false;
            commands.Add(CancelToCallee());
            return;
        }

        if (State.Phase is not (DialogPhase.Calling or DialogPhase.Early) || response.StatusCode == 100)
        {
            return; // 100 is hop by hop; a late 18x after the answer is dropped
        }

        if (State.Phase == DialogPhase.Calling && State.TargetIndex == 0)
        {
            CallMetrics.Setup.Record((_time.GetUtcNow() - State.InviteTime).TotalSeconds, new KeyValuePair<string, object?>("milestone", "ringing"));
        }

        State.Phase = DialogPhase.Early;
        if (response.To.Tag is not null)
        {
            State.CalleeTo ??= Encoding.UTF8.GetString(response.RawValue(HeaderId.To));
        }

        RespondToCaller(commands, response.StatusCode, response.ReasonPhrase, response);
    }

    private async Task OnCalleeAnswerAsync(SipMessage answer, List<SipCommand> commands)
    {
        var to = Encoding.UTF8.GetString(answer.RawValue(HeaderId.To));
        switch (State.Phase)
        {
            case DialogPhase.Calling or DialogPhase.Early:
                State.CalleeTo = to;
                State.CalleeTarget = answer.Addresses(HeaderId.Contact) is [var contact, ..] ? contact.Uri.ToString() : null;
                State.CalleeRouteSet = LegMessages.ReversedRouteSet(answer);
                State.AnswerTime = _time.GetUtcNow();
                CallMetrics.Setup.Record((State.AnswerTime.Value - State.InviteTime).TotalSeconds, new KeyValuePair<string, object?>("milestone", "answer"));
                State.Phase = DialogPhase.Answered;
                State.FinalStatus = answer.StatusCode;
                StartCallTimer(); // ringing is over; the maximum duration starts
                if (CallerInvite.HasBody)
                {
                    // The offer was in the INVITE, so this 2xx holds the answer: ACK the callee at once.
                    (State.CalleeAck, var hop) = LegMessages.RequestToCallee(State, SipMethod.Ack);
                    commands.Add(new(SipCommandKind.Ack, State.CalleeAck, hop));
                }

                // Durable before the caller hears of it: the answered call survives this silo.
                await _store.WriteStateAsync();
                Log.CallAnswered(_logger, CallerCallId);
                RespondToCaller(commands, answer.StatusCode, answer.ReasonPhrase, answer);
                break;

            case DialogPhase.Answered or DialogPhase.Confirmed when to == State.CalleeTo:
                if (State.CalleeAck is not null)
                {
                    commands.Add(new(SipCommandKind.Ack, State.CalleeAck, SipTargets.NextHop(State.CalleeTarget ?? State.CalleeUri!, State.CalleeRouteSet, State.CalleePeer!.Transport)));
                }

                break; // a retransmission: ACK again (our ACK was lost)

            default:
                // Another fork answered, or the caller already gave up: ACK it and hang it up (RFC 3261 §13.2.2.4).
                commands.AddRange(LegMessages.RefuseAnswer(State, answer));
                break;
        }
    }

    private async Task OnCalleeRequest(SipMessage request, SipInbound inbound, List<SipCommand> commands)
    {
        var calleeTag = State.CalleeTo is { } to && NameAddress.TryParse(to.AsSpan(), out var address) ? address.Tag : null;
        switch (request.Method)
        {
            case SipMethod.Bye when State.Phase is DialogPhase.Answered or DialogPhase.Confirmed:
                Respond(commands, request, inbound.Source, 200, null);
                var (toCaller, hop) = LegMessages.RequestToCaller(CallerInvite, State, SipMethod.Bye);
                commands.Add(new(SipCommandKind.Request, toCaller, hop));
                await EndAsync(CallDisposition.Answered, 200, HangupParty.Callee);
                break;
            case SipMethod.Bye when State.Phase is DialogPhase.Calling or DialogPhase.Early:
                // The callee hung up its early dialog: the call fails as unavailable.
                Respond(commands, request, inbound.Source, 200, null);
                RespondToCaller(commands, 480, null);
                await EndAsync(CallDisposition.Failed, 480, HangupParty.Callee);
                break;
            case SipMethod.Bye or SipMethod.Options when State.Phase == DialogPhase.Ended:
                Respond(commands, request, inbound.Source, 200, null);
                break;
            case SipMethod.Ack:
                TryRelayAck(request, CallLeg.Callee, commands);
                break;
            case SipMethod.Options:
                Respond(commands, request, inbound.Source, 200, null);
                break;
            case not SipMethod.Unknown:
                await RelayRequestAsync(request, inbound, CallLeg.Callee, commands);
                break;
            default:
                Respond(commands, request, inbound.Source, State.Phase == DialogPhase.None ? 481 : 501, calleeTag);
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
