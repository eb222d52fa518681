using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Re-anchoring (docs/media.md, "When an rtpengine dies"): an answered call whose rtpengine died moves its media to
// another. The host makes the session there from the parties' last SDPs (an offer from the caller's, an answer from
// the callee's: both still describe where each party receives), and the call sends each party a re-INVITE with the
// new rtpengine's SDP for it, as its own request (a PendingRelay marked Own: no original to answer). Its 2xx is
// acknowledged at once; what the party answers is where it already receives, which the new rtpengine has. A call
// with an offer in flight, or not yet up (no re-INVITE before the caller's ACK, or before its edge took the ACK: see
// CallDeadlines.IsUp), is left for the failover's next pass.
public sealed partial class CallMachine
{
    private void Reanchor()
    {
        var callee = State.Answered!;
        if (!CallDeadlines.IsUp(State) || State.CallerSdp is null || State.CalleeSdp is null
            || State.Relays.Exists(r => r.Method is "INVITE" or "UPDATE"))
        {
            return;
        }

        var lost = State.MediaEngine!;
        var request = new MediaRequest(MediaKind.Reanchor, CallerMediaTag, CalleeMediaTag(callee), State.CallerSdp, State.CallerPeer!.Host)
        {
            AnswerSdp = State.CalleeSdp,
            AnswerSource = callee.Peer.Host,
        };
        AskMedia(request, result =>
        {
            if (!result.Ok)
            {
                _events.MediaMoved(lost, movedTo: null);
                return;
            }

            State.MediaMoves++;
            SendOwnReinvite(CallLeg.Callee, Bytes(result));
            SendOwnReinvite(CallLeg.Caller, ToLeg(result.AnswerSdp));
            _step.Save = true;
            _events.MediaMoved(lost, State.MediaEngine);
        });
    }

    /// <summary>A re-INVITE of the call's own on <paramref name="to"/>, with <paramref name="sdp"/> as its offer.</summary>
    private void SendOwnReinvite(CallLeg to, byte[] sdp)
    {
        var callee = State.Answered!;
        var (message, destination) = to == CallLeg.Callee
            ? LegMessages.RequestToCallee(callee, "INVITE", relayed: null, cseq: null, sdp)
            : LegMessages.RequestToCaller(CallerInvite, State, "INVITE", relayed: null, cseq: null, sdp);
        State.Relays.Add(new PendingRelay
        {
            SentOn = to,
            Leg = callee.Number,
            CSeq = to == CallLeg.Callee ? callee.LocalCSeq : State.CallerLocalCSeq,
            Method = "INVITE",
            Own = true,
            Sdp = to == CallLeg.Callee ? sdp : null,
        });
        _step.Commands.Add(new(SipCommandKind.Request, message, destination));
        SdpSent(to, sdp);
    }

    /// <summary>The final response to an own re-INVITE: a 2xx is acknowledged (and refreshes the party's target).</summary>
    private void OwnReinviteAnswered(in Happening happening, PendingRelay relay)
    {
        var response = happening.Message!;
        if (response.StatusCode < 200)
        {
            return;
        }

        State.Relays.RemoveAt(happening.Relay);
        if (!SipStatus.IsSuccess(response.StatusCode))
        {
            _events.OwnReinviteRefused(relay.SentOn, response.StatusCode);
            return;
        }

        if (happening.Leg is { } leg && response.Addresses(Sip.Headers.HeaderId.Contact) is [var refreshed, ..])
        {
            leg.RemoteTarget = refreshed.Uri.ToString();
        }

        _step.Commands.Add(AckRelayed(relay, answer: null));
    }
}
