using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// RFC 3262 across the legs: a callee's reliable 18x reaches the caller as a reliable 18x of ours (our RSeq), and the
// caller's PRACK for it goes on to that callee leg (its RSeq), in a transaction of its own; the 200 comes back.
public sealed partial class CallMachine
{
    /// <summary>
    /// Our RSeq for a reliable provisional from <paramref name="leg"/> (the same one again for its retransmission,
    /// which the caller then discards: RFC 3262 §4), or 0 when it is not reliable or the caller cannot PRACK it.
    /// </summary>
    private uint ReliableRSeqFor(CalleeLeg leg, SipMessage provisional)
    {
        var calleeRSeq = Reliable.RSeqOf(provisional);
        if (calleeRSeq == 0 || !Reliable.Supported(CallerInvite))
        {
            return 0;
        }

        if (State.Reliable.Find(r => r.Leg == leg.Number && r.CalleeRSeq == calleeRSeq) is { } known)
        {
            return known.CallerRSeq;
        }

        State.Reliable.Add(new ReliableProvisional
        {
            CallerRSeq = ++State.CallerRSeq,
            Leg = leg.Number,
            CalleeRSeq = calleeRSeq,
            To = System.Text.Encoding.UTF8.GetString(provisional.RawValue(HeaderId.To)),
        });
        return State.CallerRSeq;
    }

    private void RelayPrack(in Happening happening)
    {
        var prack = happening.Request;
        var rseq = Reliable.RAckOf(prack);
        if (State.Reliable.Find(r => r.CallerRSeq == rseq) is not { } provisional || !State.Legs[provisional.Leg].IsRinging)
        {
            // Not a provisional we sent reliably, or its leg moved on: RFC 3262 §3 says 481.
            Respond(happening, 481, State.CallerTag);
            return;
        }

        if (State.MediaEarlyOffer is { } offerer && CarriesSdp(prack))
        {
            // The answer to a late offer the callee made in its reliable provisional: rewritten for it, from its tag.
            // Without the relay the PRACK goes without it: the callee's own address never reaches the caller's side.
            var relayed = happening;
            AskMedia(new MediaRequest(MediaKind.Answer, offerer, CallerMediaTag, Text(prack.Body), happening.Source.Host) { Toward = State.MediaCallee },
                result => SendPrack(relayed, provisional, result.Ok ? Bytes(result) : []));
            return;
        }

        SendPrack(happening, provisional, sdp: null);
    }

    private void SendPrack(in Happening happening, ReliableProvisional provisional, byte[]? sdp)
    {
        // The PRACK belongs to the early dialog of that provisional's To tag (a leg may fork: RFC 3262 §4).
        var prack = happening.Request;
        var leg = State.Legs[provisional.Leg];
        var to = leg.To;
        leg.To = provisional.To;
        var (message, destination) = LegMessages.RelayToCallee(leg, State.HeaderPolicy, "PRACK", prack, cseq: null, sdp, (HeaderId.RAck, $"{provisional.CalleeRSeq} {leg.InviteCSeq} INVITE"));
        leg.To = to;
        State.Relays.Add(new PendingRelay
        {
            SentOn = CallLeg.Callee,
            Leg = leg.Number,
            CSeq = leg.LocalCSeq, // the number the PRACK just took
            Method = "PRACK",
            Original = happening.Inbound!.Message,
            OriginalPeer = happening.Source,
            OriginalCSeq = prack.CSeq.Number,
        });
        State.Reliable.Remove(provisional);
        _step.Commands.Add(new(SipCommandKind.Request, message, destination));
    }
}
