using CallControl.Calls;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Grains.Dialogs;

// In-dialog requests other than ACK, BYE and CANCEL (re-INVITE, UPDATE, INFO, MESSAGE, NOTIFY, ...): each is
// relayed to the other leg in a transaction of its own there, and the far side's answer goes back to the original.
public sealed partial class DialogGrain
{
    private async Task RelayRequestAsync(SipMessage request, SipInbound inbound, CallLeg from, List<SipCommand> commands)
    {
        var tag = from == CallLeg.Caller ? State.CallerTag : null;
        if (State.Phase is not (DialogPhase.Answered or DialogPhase.Confirmed))
        {
            Respond(commands, request, inbound.Source, State.Phase is DialogPhase.None or DialogPhase.Ended ? 481 : 491, tag);
            return;
        }

        if (request.Method == SipMethod.Invite && State.Relays.Exists(r => r.Method == "INVITE"))
        {
            Respond(commands, request, inbound.Source, 491, tag); // one offer/answer at a time (RFC 3261 §14.2)
            return;
        }

        var callee = State.Answered!;
        if (from == CallLeg.Callee && request.Method is SipMethod.Invite or SipMethod.Update && request.Addresses(HeaderId.Contact) is [var refreshed, ..])
        {
            callee.RemoteTarget = refreshed.Uri.ToString(); // a target refresh request (RFC 3261 §12.2.2)
        }

        var to = from == CallLeg.Caller ? CallLeg.Callee : CallLeg.Caller;
        var (message, destination) = to == CallLeg.Callee
            ? LegMessages.RequestToCallee(callee, request.MethodName, request, cseq: null)
            : LegMessages.RequestToCaller(CallerInvite, State, request.MethodName, request, cseq: null);
        State.Relays.Add(new PendingRelay
        {
            SentOn = to,
            Leg = callee.Number,
            CSeq = SipParser.ParseTrusted(message).CSeq.Number,
            Method = request.MethodName,
            Original = inbound.Message,
            OriginalPeer = inbound.Source,
        });
        if (request.Method is SipMethod.Invite or SipMethod.Update)
        {
            await SaveAsync(); // a session change in flight survives this silo (or, with the store down, follows)
        }

        commands.Add(new(SipCommandKind.Request, message, destination));
    }

    /// <summary>A response to a relayed request goes back to the original; false when it answers none.</summary>
    private bool TryRelayResponse(SipMessage response, List<SipCommand> commands)
    {
        var index = FindRelay(response.CallId, response.CSeq.Number, response.CSeq.MethodName, out var leg);
        if (index < 0)
        {
            return false;
        }

        if (response.StatusCode == 100)
        {
            return true;
        }

        var relay = State.Relays[index];
        var original = SipParser.ParseTrusted(relay.Original);
        var edge = relay.SentOn == CallLeg.Callee ? State.Edge! : State.Legs[relay.Leg].Edge; // the original's leg's edge
        commands.Add(new(SipCommandKind.Respond, LegMessages.RelayedResponse(original, response, edge, relay.OriginalPeer.Transport), relay.OriginalPeer));
        if (response.StatusCode < 200)
        {
            return true;
        }

        if (leg is not null && relay.Method is "INVITE" or "UPDATE" && SipStatus.IsSuccess(response.StatusCode) && response.Addresses(HeaderId.Contact) is [var refreshed, ..])
        {
            leg.RemoteTarget = refreshed.Uri.ToString();
        }

        if (relay.Method == "INVITE" && SipStatus.IsSuccess(response.StatusCode))
        {
            if (!original.HasBody)
            {
                relay.AwaitingAck = true; // the offer is in this 2xx; the answer will come in the original's ACK
                return true;
            }

            commands.Add(AckRelayed(relay, answer: null)); // the offer was in the re-INVITE: acknowledge now
        }

        State.Relays.RemoveAt(index);
        return true;
    }

    /// <summary>An ACK for a relayed re-INVITE's 2xx: on to the far side with its answer; false when it is not one.</summary>
    private bool TryRelayAck(SipMessage ack, CallLeg from, List<SipCommand> commands)
    {
        var index = State.Relays.FindIndex(r => r.AwaitingAck && r.SentOn != from && SipParser.ParseTrusted(r.Original).CSeq.Number == ack.CSeq.Number);
        if (index < 0)
        {
            return false;
        }

        commands.Add(AckRelayed(State.Relays[index], answer: ack));
        State.Relays.RemoveAt(index);
        return true;
    }

    /// <summary>A relayed request got no final response: the original gets 408 (timeout) or 503 (unreachable).</summary>
    private bool TryFailRelay(ClientFailure failure, List<SipCommand> commands)
    {
        var index = FindRelay(failure.CallId, failure.CSeq, failure.Method, out _);
        if (index < 0)
        {
            return false;
        }

        var relay = State.Relays[index];
        var original = SipParser.ParseTrusted(relay.Original);
        commands.Add(new(SipCommandKind.Respond, LegMessages.Response(original, failure.TransportError ? 503 : 408, toTag: null), relay.OriginalPeer));
        State.Relays.RemoveAt(index);
        return true;
    }

    private SipCommand AckRelayed(PendingRelay relay, SipMessage? answer)
    {
        var (ack, hop) = relay.SentOn == CallLeg.Callee
            ? LegMessages.RequestToCallee(State.Legs[relay.Leg], "ACK", answer, relay.CSeq)
            : LegMessages.RequestToCaller(CallerInvite, State, "ACK", answer, relay.CSeq);
        return new(SipCommandKind.Ack, ack, hop);
    }

    /// <summary>The relay a response or failure on <paramref name="callId"/> answers (and its callee leg, if on one), or -1.</summary>
    private int FindRelay(string callId, uint cseq, string method, out CalleeLeg? leg)
    {
        leg = callId == CallerCallId ? null : LegFor(callId);
        if (leg is null && callId != CallerCallId)
        {
            return -1;
        }

        var sentOn = leg is null ? CallLeg.Caller : CallLeg.Callee;
        var number = leg?.Number ?? -1;
        return State.Relays.FindIndex(r => r.SentOn == sentOn && (sentOn == CallLeg.Caller || r.Leg == number) && r.CSeq == cseq && r.Method == method);
    }
}
