namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// A ring group: every member at once for <see cref="RingGroupParameters.RingSeconds"/>, the first to answer wins and
/// the others get CANCEL; when none answers, the <see cref="RingGroupParameters.Finally"/> target (voicemail), if any.
/// </summary>
public sealed class RingGroupFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "ring-group";

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<RingGroupParameters>();
        return ValueTask.FromResult<FlowAction>(FlowAction.Parallel(TimeSpan.FromSeconds(parameters.RingSeconds), [.. parameters.Targets.Select(t => new DialTarget(t))]));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
    {
        var state = call.State<RingGroupState>();
        if (state.FinallyDialled || call.Parameters<RingGroupParameters>().Finally is not { } last)
        {
            return ValueTask.FromResult<FlowAction>(FlowAction.Fail);
        }

        state.FinallyDialled = true;
        return ValueTask.FromResult<FlowAction>(FlowAction.Ring(new DialTarget(last)));
    }

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<RingGroupParameters>(parameters);
        return
        [
            .. ParameterChecks.Unknown(p),
            .. ParameterChecks.Targets("targets", p.Targets),
            .. ParameterChecks.RingSeconds("ringSeconds", p.RingSeconds),
            .. ParameterChecks.Target("finally", p.Finally, required: false),
        ];
    }
}

/// <summary>The <c>ring-group</c> flow's parameters.</summary>
public sealed record RingGroupParameters : FlowParameterSet
{
    /// <summary>The members (SIP URIs), rung all at once.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>How long the group rings.</summary>
    public int RingSeconds { get; init; } = 30;

    /// <summary>Dialled when no member answered (voicemail, an operator); it rings for as long as the call may.</summary>
    public string? Finally { get; init; }
}

/// <summary>Whether the group has given way to its finally target.</summary>
[GenerateSerializer, Alias("cc.flow.ring-group-state")]
public sealed class RingGroupState
{
    /// <summary>The finally target has been dialled: its failure is the call's.</summary>
    [Id(0)] public bool FinallyDialled { get; set; }
}
