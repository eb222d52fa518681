using CallControl.Calls;
using Orleans.Storage;

namespace CallControl.Grains.Dialogs;

// Parking (CallControl:Calls:ParkAfter): an answered call that is only waiting for its BYE needs no activation. Its
// state is in the store, and its next message (a BYE from either side, a re-INVITE, INFO, UPDATE, a late 2xx or ACK)
// reactivates it from there; what stays is the stored state and the wake-up reminder for its maximum duration (see
// .Timers). The save that parks writes what the activation held only in memory since the answer (the Confirmed
// phase, the CSeqs it used, a late offer's ACK) with the reminder, so a call that ends before ParkAfter writes
// nothing more than before. Waking costs the state read; a BYE then also reads and deletes the reminder.
public sealed partial class DialogGrain
{
    private IGrainTimer? _park;

    // The save that parks was deferred by a store outage: park once the write-behind has stored it.
    private bool _parkWhenStored;

    /// <summary>
    /// Called for every event of the call: a call that is up (IsUp) parks after <see cref="CallOptions.ParkAfter"/> without
    /// another. This timer keeps nothing alive: the call's own does, until its deadline (see ArmCallTimer), and the
    /// park's DeactivateOnIdle overrides that.
    /// </summary>
    private void RestartParkTimer()
    {
        if (_parkWhenStored)
        {
            _parkWhenStored = false;
            State.Parked = false; // the call stays after all; the deferred save writes that
        }

        if (_calls.ParkAfter <= TimeSpan.Zero || !CallDeadlines.IsUp(State))
        {
            return;
        }

        if (_park is null)
        {
            _park = this.RegisterGrainTimer(ParkAsync, new GrainTimerCreationOptions(_calls.ParkAfter, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _park.Change(_calls.ParkAfter, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopParkTimer()
    {
        _park?.Dispose();
        _park = null;
        _parkWhenStored = false;
    }

    /// <summary>The call may park (<see cref="CallDeadlines.CanPark"/>) and the store has taken every save.</summary>
    private bool CanPark => CallDeadlines.CanPark(State, _time.GetUtcNow(), _calls.ParkAfter) && (_persist?.IsClean ?? true);

    private async Task ParkAsync(CancellationToken cancellationToken)
    {
        if (!CanPark)
        {
            RestartParkTimer(); // whatever was in flight ends with a message, which restarts it too
            return;
        }

        State.Parked = true;
        bool stored;
        try
        {
            stored = await SaveAsync();
        }
        catch (InconsistentStateException e)
        {
            // Someone else wrote the call since this activation read it: what is stored wins, as in the write-behind.
            Log.ParkConflict(_logger, e, CallerCallId);
            DeactivateOnIdle();
            return;
        }

        if (stored)
        {
            Park();
        }
        else
        {
            _parkWhenStored = true; // see Persist's cleaned; a message before then keeps the call instead
        }
    }

    private void Park()
    {
        Log.Parked(_logger, CallerCallId);
        _metrics.Parked.Add(1);
        DeactivateOnIdle();
    }

    /// <summary>Called by the write-behind once a deferred save is stored: a call that was parking now goes.</summary>
    private void ParkIfWaiting()
    {
        if (_parkWhenStored && CanPark)
        {
            _parkWhenStored = false;
            Park();
        }
    }

    /// <summary>An activation of a parked call is its wake-up (by a message, or by the reminder at its maximum duration).</summary>
    private void OnActivatedForParking()
    {
        if (State.Parked && State.Phase is DialogPhase.Answered or DialogPhase.Confirmed)
        {
            State.Parked = false; // in memory: the next save writes it, and the reminder stays (see WakeUpDue)
            _metrics.Parked.Add(-1);
            _metrics.Unparks.Add(1);
            Log.Unparked(_logger, CallerCallId);
        }

        RestartParkTimer();
    }
}
