namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Rings every target of the route at once (a registered user's bindings: RFC 3261 §16.6 parallel forking, done
/// by the B2BUA): the first to answer wins and the others get CANCEL. When none answers, the best response goes
/// back to the caller.
/// </summary>
public sealed class RingAllFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "ring-all";

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
        => ValueTask.FromResult<FlowAction>(call.RouteTargets.Count == 0 ? FlowAction.Refuse(480) : FlowAction.Parallel(null, [.. call.RouteTargets]));

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Fail);
}
