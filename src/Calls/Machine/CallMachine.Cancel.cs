using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Giving ringing legs up: the caller's final answer, a CANCEL for each leg now or, before any provisional, when one
// comes (RFC 3261 §9.1), or once the INVITE is old enough that its provisional may have been lost.
public sealed partial class CallMachine
{
    /// <summary>
    /// Ends a call that is still ringing: the caller gets <paramref name="status"/>, every ringing leg a CANCEL, at
    /// once if it has sent a provisional, else on its first one (RFC 3261 §9.1).
    /// </summary>
    private void StopRinging(int status, CallDisposition disposition, HangupParty by)
    {
        RespondToCaller(status, null);
        AbandonRingingLegs();
        End(disposition, status, by);
    }

    private void AbandonRingingLegs()
    {
        foreach (var leg in State.Legs)
        {
            if (leg.IsRinging)
            {
                Abandon(leg);
            }
        }
    }

    /// <summary>
    /// How long after a leg's INVITE its CANCEL goes without a provisional. RFC 3261 §9.1 has a CANCEL wait for one,
    /// so that it cannot overtake its INVITE; two seconds later (by then sent three times over UDP) it has arrived if it ever will (Kamailio's
    /// cancel_b_method 2 sends at once). The provisional that would release the CANCEL can be lost for good: sent to an
    /// edge that died with the INVITE's transaction (the callee sends it once, to that edge's address), and then the
    /// callee would ring on after the call ended, for ever.
    /// </summary>
    internal static readonly TimeSpan CancelWithoutProvisionalAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gives a ringing leg up: CANCEL now if it has sent a provisional, or if its INVITE went out long enough ago
    /// (<see cref="CancelWithoutProvisionalAfter"/>); else when its first provisional comes.
    /// </summary>
    private void Abandon(CalleeLeg leg)
    {
        leg.Abandoned = true;
        if (leg.Status == LegStatus.Early || _now - leg.SentAt >= CancelWithoutProvisionalAfter)
        {
            _step.Commands.Add(CancelOf(leg));
        }
        else
        {
            leg.CancelPending = true;
        }
    }

    /// <summary>A leg abandoned before its first provisional sent one: now its CANCEL can go (RFC 3261 §9.1). False when none was pending.</summary>
    private bool SendPendingCancel(CalleeLeg leg)
    {
        if (!leg.CancelPending)
        {
            return false;
        }

        leg.CancelPending = false;
        _step.Commands.Add(CancelOf(leg));
        return true;
    }

    /// <summary>The CANCEL for a leg's INVITE (same branch: RFC 3261 §9.1).</summary>
    private static SipCommand CancelOf(CalleeLeg leg) => new(SipCommandKind.Request, LegMessages.Cancel(leg), leg.Peer, SipCommandFlags.NoReport);
}
