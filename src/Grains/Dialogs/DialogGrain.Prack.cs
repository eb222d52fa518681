using CallControl.Calls;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Grains.Dialogs;

// RFC 3262 across the legs: a callee's reliable 18x reaches the caller as a reliable 18x of ours (our RSeq), and the
// caller's PRACK for it goes on to that callee leg (its RSeq), in a transaction of its own; the 200 comes back.
public sealed partial class DialogGrain
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

    private void OnCallerPrack(SipMessage prack, SipInbound inbound, List<SipCommand> commands)
    {
        var rseq = Reliable.RAckOf(prack);
        var provisional = State.Reliable.Find(r => r.CallerRSeq == rseq);
        if (provisional is null || State.Phase is not (DialogPhase.Calling or DialogPhase.Early))
        {
            // Not a provisional we sent reliably, or the call moved on: RFC 3262 §3 says 481.
            Respond(commands, prack, inbound.Source, 481, State.CallerTag);
            return;
        }

        var leg = State.Legs[provisional.Leg];
        if (!leg.IsRinging)
        {
            Respond(commands, prack, inbound.Source, 481, State.CallerTag);
            return;
        }

        // The PRACK belongs to the early dialog of that provisional's To tag (a leg may fork: RFC 3262 §4).
        var to = leg.To;
        leg.To = provisional.To;
        var (message, destination) = LegMessages.RequestToCallee(leg, "PRACK", prack, cseq: null, (HeaderId.RAck, $"{provisional.CalleeRSeq} 1 INVITE"));
        leg.To = to;
        State.Relays.Add(new PendingRelay
        {
            SentOn = CallLeg.Callee,
            Leg = leg.Number,
            CSeq = SipParser.ParseTrusted(message).CSeq.Number,
            Method = "PRACK",
            Original = inbound.Message,
            OriginalPeer = inbound.Source,
        });
        State.Reliable.Remove(provisional);
        commands.Add(new(SipCommandKind.Request, message, destination));
    }
}
