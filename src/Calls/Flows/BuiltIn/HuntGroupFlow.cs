namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// A hunt group: its members one at a time, in order, each for <see cref="HuntGroupParameters.RingSeconds"/>, until
/// one answers; then, when every member failed, the <see cref="HuntGroupParameters.Finally"/> target (voicemail).
/// A busy member is skipped, or (<c>onBusy: "stop"</c>) ends the hunt with busy.
/// </summary>
/// <remarks>
/// Each member is a dial of its own, so the hunt's position is the flow's state: it is persisted before the member's
/// INVITE goes out, and a hunt interrupted by a silo failure goes on from the member it had reached.
/// </remarks>
public sealed class HuntGroupFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "hunt";

    /// <summary>A busy member: ring the next one.</summary>
    public const string NextOnBusy = "next";

    /// <summary>A busy member: the caller gets busy.</summary>
    public const string StopOnBusy = "stop";

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
        => ValueTask.FromResult(Next(call));

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
    {
        var stop = outcome.Result == DialResult.Busy && call.Parameters<HuntGroupParameters>().OnBusy == StopOnBusy;
        return ValueTask.FromResult(stop ? FlowAction.Refuse(outcome.Status) : Next(call)); // not Fail: an earlier member's 6xx would outrank the busy
    }

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<HuntGroupParameters>(parameters);
        return
        [
            .. ParameterChecks.Unknown(p),
            .. ParameterChecks.Targets("targets", p.Targets),
            .. ParameterChecks.RingSeconds("ringSeconds", p.RingSeconds),
            .. ParameterChecks.OneOf("onBusy", p.OnBusy, NextOnBusy, StopOnBusy),
            .. ParameterChecks.Target("finally", p.Finally, required: false),
        ];
    }

    private static FlowAction Next(CallFlowContext call)
    {
        var parameters = call.Parameters<HuntGroupParameters>();
        var state = call.State<HuntGroupState>();
        var members = parameters.Targets;
        if (state.Next < members.Count)
        {
            return FlowAction.Ring(new DialTarget(members[state.Next++]), TimeSpan.FromSeconds(parameters.RingSeconds));
        }

        if (state.Next == members.Count && parameters.Finally is { } last)
        {
            state.Next++;
            return FlowAction.Ring(new DialTarget(last));
        }

        return FlowAction.Fail;
    }
}

/// <summary>The <c>hunt</c> flow's parameters.</summary>
public sealed record HuntGroupParameters : FlowParameterSet
{
    /// <summary>The members (SIP URIs), rung in this order.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>How long each member rings.</summary>
    public int RingSeconds { get; init; } = 15;

    /// <summary>A busy member: <c>next</c> (ring the next) or <c>stop</c> (the caller gets busy).</summary>
    public string OnBusy { get; init; } = HuntGroupFlow.NextOnBusy;

    /// <summary>Dialled when every member failed (voicemail, an operator); it rings for as long as the call may.</summary>
    public string? Finally { get; init; }
}

/// <summary>Where the hunt is.</summary>
[GenerateSerializer, Alias("cc.flow.hunt-state")]
public sealed class HuntGroupState
{
    /// <summary>The member to ring next; the member count when the finally target is next; past it, nothing is left.</summary>
    [Id(0)] public int Next { get; set; }
}
