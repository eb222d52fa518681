namespace CallControl.Calls;

/// <summary>
/// The call's deadlines, read from its state: which one the host's timer must fire at, when the host's reminder must
/// wake a call whose activation may be gone, and whether a call may park. Deadlines are absolute and stored with the
/// state, so a reactivated call re-arms them; the machine sets them (<see cref="CallMachine"/>), the host only waits.
/// </summary>
public static class CallDeadlines
{
    /// <summary>When the call's timer must next fire (<see cref="TimerFired"/>), or null when nothing is due.</summary>
    public static DateTimeOffset? Next(DialogState state) => state.Phase switch
    {
        DialogPhase.Calling or DialogPhase.Early => Earliest(state.RingDeadline, state.DialDeadline),
        DialogPhase.Answered or DialogPhase.Confirmed => UpDeadline(state),
        _ => null,
    };

    /// <summary>
    /// When the session timer (RFC 4028) next needs the call, or null without one: for each side, half the interval
    /// after its last refresh when we refresh it (and no refresh of ours is under way), else when its session expires.
    /// </summary>
    public static DateTimeOffset? SessionDue(DialogState state)
    {
        if (state.SessionInterval == 0 || state.CallerRefreshedAt is not { } caller || state.CalleeRefreshedAt is not { } callee)
        {
            return null;
        }

        return Earliest(
            SideDue(caller, state.RefreshCaller && !Refreshing(state, CallLeg.Caller), state.SessionInterval),
            SideDue(callee, state.RefreshCallee && !Refreshing(state, CallLeg.Callee), state.SessionInterval));
    }

    /// <summary>A refresh of ours is under way on <paramref name="side"/>: until its answer, the side's session may only expire.</summary>
    public static bool Refreshing(DialogState state, CallLeg side) => state.Relays.Exists(r => r.SentOn == side && r.IsSessionRefresh());

    private static DateTimeOffset SideDue(DateTimeOffset refreshed, bool weRefresh, int interval)
        => weRefresh ? Sessions.SessionTimerRules.RefreshDue(refreshed, interval) : Sessions.SessionTimerRules.ExpiresAt(refreshed, interval);

    /// <summary>An answered call's next deadline: its maximum duration, or its session timer's.</summary>
    private static DateTimeOffset? UpDeadline(DialogState state) => Earliest(state.HangupDeadline, SessionDue(state));

    /// <summary>
    /// When the wake-up reminder should first tick, or null when none is wanted: a ringing call's dial deadline (a
    /// hunt must go on to its next member from another silo); a held call's maximum duration, or its session timer's
    /// next deadline, once it has parked (kept, once registered for it, until the call ends: parking again writes no
    /// second reminder; a refresh moves it).
    /// </summary>
    public static DateTimeOffset? WakeUpDue(DialogState state) => state.Phase switch
    {
        DialogPhase.Calling or DialogPhase.Early => state.DialDeadline,
        DialogPhase.Answered or DialogPhase.Confirmed when state.Parked || (state.WakeUpRegistered && state.WakeUpFor == UpDeadline(state))
            => UpDeadline(state),
        _ => null,
    };

    /// <summary>
    /// The call is up: the caller's ACK arrived, or its edge keeps it (<see cref="DialogState.AckAtEdge"/>), which
    /// reports an ACK that never came as <see cref="AckNeverCame"/>.
    /// </summary>
    public static bool IsUp(DialogState state) => state.Phase == DialogPhase.Confirmed || (state.Phase == DialogPhase.Answered && state.AckAtEdge);

    /// <summary>
    /// The call may let its activation go (park): it is up, nothing is in flight that the stored state would not
    /// finish as well (no relayed request awaits its response or ACK, no reliable provisional its PRACK), and its
    /// hang-up is not due within another <paramref name="parkAfter"/> (not worth a reminder). Whether the store has
    /// taken every save is the host's to add.
    /// </summary>
    public static bool CanPark(DialogState state, DateTimeOffset now, TimeSpan parkAfter)
        => IsUp(state)
            && state.Relays.Count == 0
            && state.Reliable.Count == 0
            && (UpDeadline(state) is not { } due || due - now > parkAfter);

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
