using CallControl.Calls;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Flows;

/// <summary>
/// Puts a call's questions to its flow and tells it the news, on the call's state: the flow's own state is read from
/// it and written back after each call. A flow that is not registered, or that fails, must not strand the call: it is
/// logged, and a decision becomes a 500 refusal (RFC 3261 §21.5.1); news it fails on changes nothing of the call.
/// </summary>
public sealed partial class CallFlowHost(CallFlowRegistry flows, TimeProvider time, IGrainFactory? grains, ILogger logger)
{
    /// <summary>The flow's next action: <see cref="ICallFlow.OnCallAsync"/> for a new call, else <see cref="ICallFlow.OnDialFailedAsync"/>.</summary>
    public ValueTask<FlowAction> DecideAsync(string callId, DialogState state, DialOutcome? outcome)
        => AskAsync(callId, state, (flow, context) => outcome is null ? flow.OnCallAsync(context) : flow.OnDialFailedAsync(context, outcome), reason => FlowAction.Refuse(500, reason));

    /// <summary>
    /// The flow's <see cref="ICallFlow.OnTransferAsync"/>: may the call be transferred? A flow that is not registered, or
    /// that fails, refuses it (500: the call itself goes on untouched).
    /// </summary>
    public ValueTask<TransferDecision> DecideTransferAsync(string callId, DialogState state, TransferRequest transfer)
        => AskAsync(callId, state, (flow, context) => flow.OnTransferAsync(context, transfer), reason => TransferDecision.Refuse(500, reason));

    private async ValueTask<T> AskAsync<T>(string callId, DialogState state, Func<ICallFlow, CallFlowContext, ValueTask<T>> ask, Func<string, T> refuse)
    {
        if (flows.Find(state.Flow) is not { } flow)
        {
            Log.UnknownFlow(logger, callId, state.Flow);
            return refuse("Call Flow Not Available");
        }

        var context = ContextOf(state);
        try
        {
            var answer = await ask(flow, context);
            state.FlowState = context.RawState;
            return answer;
        }
#pragma warning disable CA1031 // A developer's flow may throw anything; the call (or the REFER) still gets a final response.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FlowFailed(logger, e, callId, state.Flow);
            return refuse("Call Flow Failed");
        }
    }

    /// <summary>Tells the flow a target answered.</summary>
    public Task TellAnsweredAsync(string callId, DialogState state, DialTarget target)
        => TellAsync(callId, state, (flow, context) => flow.OnAnsweredAsync(context, target));

    /// <summary>Tells the flow the call ended.</summary>
    public Task TellEndedAsync(string callId, DialogState state, CallEnd end)
        => TellAsync(callId, state, (flow, context) => flow.OnEndedAsync(context, end));

    private async Task TellAsync(string callId, DialogState state, Func<ICallFlow, CallFlowContext, ValueTask> tell)
    {
        if (state.Facts is null || flows.Find(state.Flow) is not { } flow)
        {
            return; // the call was refused before it had a flow
        }

        var context = ContextOf(state);
        try
        {
            await tell(flow, context);
            state.FlowState = context.RawState;
        }
#pragma warning disable CA1031 // What a flow does with the news must not undo the call's own state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.FlowFailed(logger, e, callId, state.Flow);
        }
    }

    private CallFlowContext ContextOf(DialogState state)
        => new(state.Facts!, state.FlowParameters, state.RouteTargets, state.FlowState, time, grains!, state.CurrentDial);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Call {CallId}: the route's flow '{Flow}' is not registered; refusing with 500")]
        public static partial void UnknownFlow(ILogger logger, string callId, string flow);

        [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Call {CallId}: flow '{Flow}' failed")]
        public static partial void FlowFailed(ILogger logger, Exception exception, string callId, string flow);
    }
}
