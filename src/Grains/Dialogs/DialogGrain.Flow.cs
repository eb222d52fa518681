using CallControl.Calls;
using CallControl.Grains.Flows;

namespace CallControl.Grains.Dialogs;

// The call's flow: asked at each decision (the machine's FlowQuestion), told of the answer and of the end. Its state
// is ours to persist.
public sealed partial class DialogGrain
{
    /// <summary>
    /// Asks the flow for its next action: <see cref="ICallFlow.OnCallAsync"/> for a new call, else
    /// <see cref="ICallFlow.OnDialFailedAsync"/> with how the last dial ended. A flow that is not registered, or that
    /// fails, must not strand the call: it is logged, and the caller gets 500 (RFC 3261 §21.5.1).
    /// </summary>
    private async Task<FlowAction> AskFlowAsync(DialOutcome? outcome)
    {
        if (_flows.Find(State.Flow) is not { } flow)
        {
            Log.UnknownFlow(_logger, CallerCallId, State.Flow);
            return FlowAction.Refuse(500, "Call Flow Not Available");
        }

        var context = FlowContext();
        try
        {
            var action = outcome is null ? await flow.OnCallAsync(context) : await flow.OnDialFailedAsync(context, outcome);
            State.FlowState = context.RawState;
            return action;
        }
#pragma warning disable CA1031 // A developer's flow may throw anything; the call still gets a final response.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FlowFailed(_logger, e, CallerCallId, State.Flow);
            return FlowAction.Refuse(500, "Call Flow Failed");
        }
    }

    private async Task TellFlowAsync(Func<ICallFlow, CallFlowContext, ValueTask> tell)
    {
        if (State.Facts is null || _flows.Find(State.Flow) is not { } flow)
        {
            return; // the call was refused before it had a flow
        }

        var context = FlowContext();
        try
        {
            await tell(flow, context);
            State.FlowState = context.RawState;
        }
#pragma warning disable CA1031 // What a flow does with the news must not undo the call's own state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FlowFailed(_logger, e, CallerCallId, State.Flow);
        }
    }

    private CallFlowContext FlowContext()
        => new(State.Facts!, State.FlowParameters, State.RouteTargets, State.FlowState, _time, GrainFactory, State.CurrentDial);
}
