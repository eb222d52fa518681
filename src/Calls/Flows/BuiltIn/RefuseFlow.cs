namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Refuses every call with a status: a route that bars a number range (<c>{"status": 403}</c>), and what a route
/// whose row does not validate falls back to (500), so a misconfigured route fails its calls cleanly.
/// </summary>
public sealed class RefuseFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "refuse";

    /// <summary>The flow's parameters.</summary>
    /// <param name="Status">The final status (4xx–6xx); default 403.</param>
    /// <param name="Reason">The reason phrase, if not the status' own.</param>
    public sealed record Parameters(int Status = 403, string? Reason = null);

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<Parameters>();
        return ValueTask.FromResult<FlowAction>(FlowAction.Refuse(parameters.Status, parameters.Reason));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome) => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var parsed = string.IsNullOrWhiteSpace(parameters) ? new Parameters() : CallFlowContext.ParseParameters<Parameters>(parameters);
        if (parsed is null || parsed.Status is < 400 or > 699)
        {
            yield return $"status: {parsed?.Status} is not a 4xx, 5xx or 6xx status";
        }
    }

    /// <summary>The parameters that refuse with 500 because route <paramref name="route"/> is misconfigured.</summary>
    public static string Misconfigured => """{"status":500,"reason":"Route Misconfigured"}""";
}
