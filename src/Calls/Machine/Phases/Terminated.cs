namespace CallControl.Calls;

// Terminated: the call has ended and its CDR is written (DialogPhase.Ended). The activation keeps the ended state for
// the retransmissions and late messages of the next 64×T1: a late BYE or CANCEL gets 200 (a retried BYE whose 200 was
// lost must not see 481), a late answer from a leg is ACKed and hung up, a late provisional of an abandoned leg lets
// its CANCEL go (AnyPhase). Nothing here changes the call.
public sealed partial class CallMachine
{
    private bool Terminated(in Happening happening)
    {
        switch (happening.Kind)
        {
            case HappeningKind.CallerBye or HappeningKind.CallerCancel:
                Respond(happening, 200, State.CallerTag);
                return true;
            case HappeningKind.CallerRequest:
                Respond(happening, 481, State.CallerTag); // the dialog is gone
                return true;
            default:
                return false;
        }
    }
}
