namespace CallControl.Calls;

// Idle: no INVITE seen yet (DialogPhase.None). Only the caller's INVITE starts something; any other request finds no
// dialog (481, RFC 3261 §12.2.2), an ACK gets nothing (it never gets a response). A BYE in a dialog of ours (its To tag
// is one we make) is the retransmission of a BYE whose call ended on a silo that died before its 200 left: the call
// is over and its CDR written, so it gets the 200 it was owed (RFC 3261 §15.1.2 lets 481 be the answer too, but a
// caller counts that as a failed hang-up).
public sealed partial class CallMachine
{
    private bool Idle(in Happening happening)
    {
        switch (happening.Kind)
        {
            case HappeningKind.InitialInvite:
                StartCall(happening.Request, happening.Inbound!);
                return true;
            case HappeningKind.CallerAck or HappeningKind.Nothing:
                return true;
            case HappeningKind.CallerBye when happening.Request.To.Tag is { } tag && SipIds.IsOurs(tag):
                Respond(happening, 200, toTag: null);
                return true;
            case HappeningKind.CallerCancel or HappeningKind.CallerBye or HappeningKind.CallerPrack or HappeningKind.CallerOptions
                or HappeningKind.CallerRequest or HappeningKind.CallerUnsupported:
                Respond(happening, 481, toTag: null);
                return true;
            default:
                return false;
        }
    }
}
