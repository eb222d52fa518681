using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

// In-dialog requests other than ACK, BYE and CANCEL (re-INVITE, UPDATE, INFO, MESSAGE, NOTIFY, ...): each is relayed
// to the other leg in a transaction of its own there, and the far side's answer goes back to the original.
public sealed partial class CallMachine
{
    private void RelayRequest(in Happening happening, CallLeg from)
    {
        var request = happening.Request;
        var tag = from == CallLeg.Caller ? State.CallerTag : null;
        if (request.Method == SipMethod.Invite && State.Relays.Exists(r => r.Method == "INVITE"))
        {
            Respond(happening, 491, tag); // one offer/answer at a time (RFC 3261 §14.2)
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
            CSeq = to == CallLeg.Callee ? callee.LocalCSeq : State.CallerLocalCSeq, // the number the message just took
            Method = request.MethodName,
            Original = happening.Inbound!.Message,
            OriginalPeer = happening.Source,
            OriginalCSeq = request.CSeq.Number,
        });

        // A session change in flight survives this silo (or, with the store down, follows).
        _step.Save |= request.Method is SipMethod.Invite or SipMethod.Update;
        _step.Commands.Add(new(SipCommandKind.Request, message, destination));
    }

    /// <summary>A response to a relayed request goes back to the original.</summary>
    private void RelayResponse(in Happening happening)
    {
        var response = happening.Message!;
        if (response.StatusCode == 100)
        {
            return;
        }

        var relay = State.Relays[happening.Relay];
        var original = SipParser.ParseTrusted(relay.Original);
        var edge = relay.SentOn == CallLeg.Callee ? State.Edge! : State.Legs[relay.Leg].Edge; // the original's leg's edge
        _step.Commands.Add(SipCommand.Response(LegMessages.RelayedResponse(original, response, edge, relay.OriginalPeer.Transport), original, relay.OriginalPeer));
        if (response.StatusCode < 200)
        {
            return;
        }

        if (happening.Leg is { } leg && relay.Method is "INVITE" or "UPDATE" && SipStatus.IsSuccess(response.StatusCode) && response.Addresses(HeaderId.Contact) is [var refreshed, ..])
        {
            leg.RemoteTarget = refreshed.Uri.ToString();
        }

        if (relay.Method == "INVITE" && SipStatus.IsSuccess(response.StatusCode))
        {
            if (!original.HasBody)
            {
                relay.AwaitingAck = true; // the offer is in this 2xx; the answer will come in the original's ACK
                return;
            }

            _step.Commands.Add(AckRelayed(relay, answer: null)); // the offer was in the re-INVITE: acknowledge now
        }

        State.Relays.RemoveAt(happening.Relay);
    }

    /// <summary>An ACK for a relayed re-INVITE's 2xx: on to the far side with its answer; nothing when it is not one.</summary>
    private void TryRelayAck(SipMessage ack, CallLeg from)
    {
        var index = State.Relays.FindIndex(r => r.AwaitingAck && r.SentOn != from && OriginalCSeqOf(r) == ack.CSeq.Number);
        if (index >= 0)
        {
            _step.Commands.Add(AckRelayed(State.Relays[index], answer: ack));
            State.Relays.RemoveAt(index);
        }
    }

    /// <summary>A relayed request got no final response: the original gets 408 (timeout) or 503 (unreachable).</summary>
    private void FailRelay(in Happening happening)
    {
        var relay = State.Relays[happening.Relay];
        var original = SipParser.ParseTrusted(relay.Original);
        _step.Commands.Add(SipCommand.Response(LegMessages.Response(original, happening.Status, toTag: null), original, relay.OriginalPeer));
        State.Relays.RemoveAt(happening.Relay);
    }

    private SipCommand AckRelayed(PendingRelay relay, SipMessage? answer)
    {
        var (ack, hop) = relay.SentOn == CallLeg.Callee
            ? LegMessages.RequestToCallee(State.Legs[relay.Leg], "ACK", answer, relay.CSeq)
            : LegMessages.RequestToCaller(CallerInvite, State, "ACK", answer, relay.CSeq);
        return new(SipCommandKind.Ack, ack, hop);
    }

    /// <summary>The original's CSeq number: kept with the relay, or read from it for a relay stored before it was kept.</summary>
    private static uint OriginalCSeqOf(PendingRelay relay)
        => relay.OriginalCSeq != 0 ? relay.OriginalCSeq : SipParser.ParseTrusted(relay.Original).CSeq.Number;

    /// <summary>The relay a response or failure on <paramref name="callId"/> answers (and its callee leg, if on one), or -1.</summary>
    private int FindRelay(string callId, uint cseq, string method, out CalleeLeg? leg)
    {
        leg = callId == CallerCallId ? null : LegFor(callId);
        if (State.Relays.Count == 0 || (leg is null && callId != CallerCallId))
        {
            return -1;
        }

        var sentOn = leg is null ? CallLeg.Caller : CallLeg.Callee;
        var number = leg?.Number ?? -1;
        return State.Relays.FindIndex(r => r.SentOn == sentOn && (sentOn == CallLeg.Caller || r.Leg == number) && r.CSeq == cseq && r.Method == method);
    }
}
