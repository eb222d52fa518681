namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Call screening: callers on the deny list are refused (with <see cref="ScreeningParameters.RejectStatus"/>, 603
/// Decline by default); when there is an allow list, so is every caller not on it; the rest ring the target.
/// Deny wins over allow.
/// </summary>
/// <remarks>
/// Patterns match the calling number, the user of P-Asserted-Identity when a trusted peer asserted one, else that of
/// From: <c>+4930123</c> that number only, <c>+4930*</c> every number that starts so, <c>*</c> every number.
/// <c>anonymous</c> matches a caller whose From hides the user (<c>anonymous</c>, RFC 3323) or has none, whatever
/// identity the network asserted; number patterns never match a caller without a number.
/// </remarks>
public sealed class ScreeningFlow : ICallFlow
{
    /// <summary>The name routes use.</summary>
    public const string Name = "screening";

    /// <summary>The pattern of callers who withhold their identity.</summary>
    public const string Anonymous = "anonymous";

    /// <inheritdoc />
    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<ScreeningParameters>();
        var refused = Matches(parameters.Deny, call.Call) || (parameters.Allow is { Count: > 0 } allow && !Matches(allow, call.Call));
        var target = parameters.Target ?? throw new InvalidOperationException($"Flow '{Name}' needs a target (parameter 'target').");
        return ValueTask.FromResult<FlowAction>(refused ? FlowAction.Refuse(parameters.RejectStatus) : FlowAction.Ring(new DialTarget(target)));
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<ScreeningParameters>(parameters);
        return
        [
            .. ParameterChecks.Unknown(p),
            .. ParameterChecks.If(p.Allow is { Count: 0 }, "allow: empty (leave it out to let every caller not denied through)"),
            .. PatternProblems("allow", p.Allow),
            .. PatternProblems("deny", p.Deny),
            .. ParameterChecks.Target("target", p.Target),
            .. ParameterChecks.Range("rejectStatus", p.RejectStatus, 400, 699),
        ];
    }

    private static bool Matches(IReadOnlyList<string>? patterns, CallFacts call)
    {
        if (patterns is null)
        {
            return false;
        }

        var number = CallerNumber.Of(call);
        return patterns.Any(pattern => pattern.Equals(Anonymous, StringComparison.OrdinalIgnoreCase)
            ? CallerNumber.IsAnonymous(call)
            : number is not null && (pattern.EndsWith('*')
                ? number.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
                : number.Equals(pattern, StringComparison.OrdinalIgnoreCase)));
    }

    private static IEnumerable<string> PatternProblems(string field, IReadOnlyList<string?>? patterns)
        => (patterns ?? []).SelectMany((pattern, i) => pattern switch
        {
            null or "" => [$"{field}[{i}]: a pattern is required"],
            _ when pattern.Any(char.IsWhiteSpace) => [$"{field}[{i}]: '{pattern}' has white space"],
            _ when pattern.IndexOf('*', StringComparison.Ordinal) is >= 0 and var star && star < pattern.Length - 1 => [$"{field}[{i}]: '{pattern}' has a '*' before its end (only a trailing '*' is a wildcard)"],
            _ => Array.Empty<string>(),
        });
}

/// <summary>The <c>screening</c> flow's parameters.</summary>
public sealed record ScreeningParameters : FlowParameterSet
{
    /// <summary>Only these callers get through (absent: every caller not denied).</summary>
    public IReadOnlyList<string>? Allow { get; init; }

    /// <summary>These callers are refused, whatever the allow list says.</summary>
    public IReadOnlyList<string>? Deny { get; init; }

    /// <summary>Where the callers let through ring (a SIP URI).</summary>
    public string? Target { get; init; }

    /// <summary>The status refused callers get (4xx–6xx).</summary>
    public int RejectStatus { get; init; } = 603;
}
