namespace CallControl.Calls;

// Idle: no INVITE seen yet (DialogPhase.None). Only the caller's INVITE starts something; any other request finds no
// dialog (481, RFC 3261 §12.2.2), an ACK gets nothing (it never gets a response).
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
            case HappeningKind.CallerCancel or HappeningKind.CallerBye or HappeningKind.CallerPrack or HappeningKind.CallerOptions
                or HappeningKind.CallerRequest or HappeningKind.CallerUnsupported:
                Respond(happening, 481, toTag: null);
                return true;
            default:
                return false;
        }
    }
}
