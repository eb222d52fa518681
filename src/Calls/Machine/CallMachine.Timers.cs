namespace CallControl.Calls;

// The call's own deadlines: its ring timeout while ringing, its maximum duration once answered (a flow's prepaid
// limit, when shorter). The host's timer fires at CallDeadlines.Next; the TimerFired it brings is classified by them.
public sealed partial class CallMachine
{
    /// <summary>Sets the deadline of the phase the call just entered (ringing or answered).</summary>
    private void StartCallTimer()
    {
        if (State.Phase is DialogPhase.Calling or DialogPhase.Early)
        {
            State.RingDeadline ??= _now + _options.RingTimeout;
        }
        else if (State.Phase is DialogPhase.Answered or DialogPhase.Confirmed)
        {
            State.RingDeadline = null;
            var longest = State.MaxDuration is { } limit && limit < _options.MaxDuration ? limit : _options.MaxDuration;
            State.HangupDeadline ??= (State.AnswerTime ?? _now) + longest;
        }
    }
}
