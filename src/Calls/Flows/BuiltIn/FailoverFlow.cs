namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// A dial-plan route's targets (trunks) in order: the next on 408, 5xx or no response, as carriers expect of a
/// route list; any other refusal (busy, 404, 6xx) is the callee's answer and ends the call. The flow of every
/// route that names targets and no flow.
/// </summary>
public sealed class FailoverFlow : ICallFlow
{
    /// <summary>The name routes use (and the default).</summary>
    public const string Name = Routing.RouteDecision.DefaultFlow;

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
        => ValueTask.FromResult(Next(call));

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult(outcome.Status is 408 or (>= 500 and < 600) ? Next(call) : FlowAction.Fail);

    private static FlowAction Next(CallFlowContext call)
    {
        var state = call.State<FailoverState>();
        return state.Tried < call.RouteTargets.Count ? FlowAction.Ring(call.RouteTargets[state.Tried++]) : FlowAction.Fail;
    }
}

/// <summary>How many of the route's targets have been tried.</summary>
[GenerateSerializer, Alias("cc.flow.failover-state")]
public sealed class FailoverState
{
    /// <summary>Targets tried so far.</summary>
    [Id(0)] public int Tried { get; set; }
}
