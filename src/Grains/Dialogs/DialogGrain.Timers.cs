using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Grains.Dialogs;

// The call's own timers: no answer, and maximum duration. Deadlines are absolute and persisted with the state;
// the in-memory grain timers are re-armed from them whenever the call (re)activates. Their messages go out
// through the edge observer of the edge that carried the call.
public sealed partial class DialogGrain
{
    private IGrainTimer? _callTimer;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmCallTimer();
        return Task.CompletedTask;
    }

    /// <summary>Sets the deadline for the current phase (ringing or answered) and arms the timer for it.</summary>
    private void StartCallTimer()
    {
        var now = _time.GetUtcNow();
        if (State.Phase is DialogPhase.Calling or DialogPhase.Early)
        {
            State.RingDeadline ??= now + _calls.RingTimeout;
        }
        else if (State.Phase is DialogPhase.Answered or DialogPhase.Confirmed)
        {
            State.RingDeadline = null;
            State.HangupDeadline ??= (State.AnswerTime ?? now) + _calls.MaxDuration;
        }

        ArmCallTimer();
    }

    private void ArmCallTimer()
    {
        _callTimer?.Dispose();
        _callTimer = null;
        var deadline = State.Phase switch
        {
            DialogPhase.Calling or DialogPhase.Early => State.RingDeadline,
            DialogPhase.Answered or DialogPhase.Confirmed => State.HangupDeadline,
            _ => null,
        };
        if (deadline is { } due)
        {
            var wait = due - _time.GetUtcNow();
            _callTimer = this.RegisterGrainTimer(OnCallTimerAsync, new GrainTimerCreationOptions(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private async Task OnCallTimerAsync(CancellationToken cancellationToken)
    {
        var commands = new List<SipCommand>(3);
        switch (State.Phase)
        {
            case DialogPhase.Calling or DialogPhase.Early:
                Log.NoAnswer(_logger, CallerCallId);
                await StopRingingAsync(commands, 480, CallDisposition.NoAnswer, HangupParty.System);
                break;

            case DialogPhase.Answered or DialogPhase.Confirmed:
                Log.MaxDuration(_logger, CallerCallId);
                HangUpBothLegs(commands);
                await EndAsync(CallDisposition.Answered, 200, HangupParty.System);
                break;

            default:
                return;
        }

        if (State.Edge?.Observer is { } edge)
        {
            await edge.Send([.. commands], CallerCallId);
        }
        else
        {
            Log.NoEdge(_logger, CallerCallId);
        }
    }
}
