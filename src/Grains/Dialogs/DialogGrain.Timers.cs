using CallControl.Calls;

namespace CallControl.Grains.Dialogs;

// The call's deadlines (ring, dial, maximum duration: CallDeadlines) are absolute and persisted with the state; one
// in-memory grain timer is armed for the nearest, and re-armed from them whenever the call (re)activates or a step
// moves them. A grain timer dies with its activation; a flow's ring timeout must not (a hunt with its first member
// ringing goes on to the next from another silo), nor the maximum duration of a parked call (see .Park), so while a
// dial deadline runs, and from a call's first park to its end, a reminder is registered too: it reactivates the call,
// whose activation re-arms the timer from the persisted deadline. Reminders cost a write each, so calls without a
// dial deadline (a plain route's) that end before they park do without.
public sealed partial class DialogGrain : IRemindable
{
    private const string WakeUpReminder = "wake-up";

    /// <summary>How often the wake-up reminder ticks after its first tick at its deadline.</summary>
    internal static readonly TimeSpan WakeUpPeriod = TimeSpan.FromSeconds(5);
    private IGrainTimer? _callTimer;
    private DateTimeOffset? _armedFor;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmCallTimer();
        OnActivatedForParking();
        if (State.Phase == DialogPhase.Ended)
        {
            LingerThenForget(); // stored by a version that kept ended calls until they were forgotten
        }

        return Task.CompletedTask;
    }

    private void ArmCallTimer()
    {
        _callTimer?.Dispose();
        _callTimer = null;
        _armedFor = CallDeadlines.Next(State);
        if (_armedFor is { } due)
        {
            var wait = due - _time.GetUtcNow();
            _callTimer = this.RegisterGrainTimer(OnCallTimerAsync, new GrainTimerCreationOptions(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            if (wait > TimeSpan.Zero)
            {
                // KeepAlive counts only the tick: without this Orleans' idle collection (15 min) would take a call that
                // is quiet for longer, its timer with it, and a held call would then never be hung up. A call leaves
                // before its deadline only when it chooses to (DeactivateOnIdle): parked (see .Park), forgotten, or to re-read.
                DelayDeactivation(wait);
            }
        }
    }

    private async Task OnCallTimerAsync(CancellationToken cancellationToken)
    {
        _armedFor = null; // the timer is spent: the step re-arms it for whatever is due next
        var commands = await StepAsync(TimerFired.Instance);
        // Not the timer's token: the step just disposed this timer (the call ended, or the next deadline re-armed it), which
        // may cancel it, and the messages of this tick must still go out.
        await Edges.SendAsync(commands, State, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task Wake() => Task.CompletedTask; // being active is the point: OnActivateAsync re-armed the deadlines

    /// <inheritdoc />
    public Task<FarPartyTarget?> FarPartyOf(string callId, string toTag, string fromTag)
        => Task.FromResult(State.CallerInvite is null ? null : FarParty.Of(State, Sip.Parsing.SipParser.ParseTrusted(State.CallerInvite), new ReplacedDialog(callId, toTag, fromTag)));

    /// <inheritdoc />
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being active is the point: OnActivateAsync has re-armed the timer from the persisted deadline. A reminder
        // that is no longer wanted (the call moved on while this silo was away) is removed.
        if (CallDeadlines.WakeUpDue(State) is not null)
        {
            return;
        }

        if (State.Phase != DialogPhase.None)
        {
            await SaveAsync(); // unregisters it with the state that says so
        }
        else if (await this.GetReminder(WakeUpReminder) is { } stale)
        {
            // No call here (it was forgotten): nothing to write, only the reminder to remove. If the store is down
            // this throws, and the next tick tries again.
            await this.UnregisterReminder(stale);
        }
    }

    /// <summary>
    /// Registers, moves or removes the wake-up reminder to match the state; part of every save (see Persist), so a
    /// reminder the store refused is retried with the state write that follows it. A reminder already registered
    /// for the current deadline (<see cref="DialogState.WakeUpFor"/>) is not written again.
    /// </summary>
    private async Task SyncWakeUpAsync()
    {
        if (CallDeadlines.WakeUpDue(State) is { } deadline)
        {
            if (State.WakeUpRegistered && State.WakeUpFor == deadline)
            {
                return;
            }

            var due = deadline - _time.GetUtcNow();
            await this.RegisterOrUpdateReminder(WakeUpReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, WakeUpPeriod);
            State.WakeUpRegistered = true;
            State.WakeUpFor = deadline;
        }
        else if (State.WakeUpRegistered)
        {
            if (await this.GetReminder(WakeUpReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            State.WakeUpRegistered = false;
            State.WakeUpFor = null;
        }
    }
}
