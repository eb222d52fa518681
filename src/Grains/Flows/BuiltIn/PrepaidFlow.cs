namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// Prepaid calls: the account's balance (an <see cref="IPrepaidAccountGrain"/>) must hold at least
/// <see cref="PrepaidParameters.MinimumSeconds"/>, else the call is refused with 402; the call may last as long as the
/// balance, and its billable seconds are charged when it ends, once.
/// </summary>
/// <remarks>
/// The balance is read, not reserved: two calls on one account at once may each last as long as the whole balance,
/// and the account goes below zero by what they overran. A caller without a number (anonymous) has no account.
/// In a silo the charge goes through <see cref="PrepaidCharges"/>, which keeps and retries a charge its account could
/// not take (a store outage); without it (a test harness) a failed charge fails <see cref="OnEndedAsync"/>.
/// </remarks>
public sealed class PrepaidFlow : ICallFlow
{
    private readonly PrepaidCharges? _charges;

    /// <summary>
    /// A flow whose charges are kept and retried until their account takes them (<paramref name="charges"/>, a silo's),
    /// or, without it (test harnesses, the CLI's route check), charged directly.
    /// </summary>
    public PrepaidFlow(PrepaidCharges? charges = null) => _charges = charges;

    /// <summary>The name routes use.</summary>
    public const string Name = "prepaid";

    // The longest a call may be allowed (the node's own maximum is at most this): a balance beyond it changes nothing.
    private static readonly TimeSpan LongestCall = TimeSpan.FromDays(7);

    /// <inheritdoc />
    public async ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
    {
        var parameters = call.Parameters<PrepaidParameters>();
        var target = parameters.Target ?? throw new InvalidOperationException($"Flow '{Name}' needs a target (parameter 'target').");
        if ((parameters.Account ?? CallerNumber.Of(call.Call)) is not { } account)
        {
            return FlowAction.Refuse(402, "Payment Required - No Account");
        }

        var accountGrain = call.Grains.GetGrain<IPrepaidAccountGrain>(account);
        var balance = parameters.OpeningSeconds > 0 ? await accountGrain.Open(parameters.OpeningSeconds) : await accountGrain.GetBalanceSeconds();
        if (balance < parameters.MinimumSeconds)
        {
            return FlowAction.Refuse(402);
        }

        call.State<PrepaidState>().Account = account;
        return FlowAction.Ring(new DialTarget(target)) with { MaxDuration = balance < LongestCall.TotalSeconds ? TimeSpan.FromSeconds(balance) : LongestCall };
    }

    /// <inheritdoc />
    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Fail);

    /// <inheritdoc />
    public async ValueTask OnEndedAsync(CallFlowContext call, CallEnd end)
    {
        if (call.State<PrepaidState>().Account is not { } account || end.Record.BillableSeconds <= 0)
        {
            return;
        }

        if (_charges is null)
        {
            await call.Grains.GetGrain<IPrepaidAccountGrain>(account).Charge(end.Record.CallId, end.Record.BillableSeconds);
        }
        else
        {
            await _charges.ChargeAsync(call.Grains, new PrepaidCharge(account, end.Record.CallId, end.Record.BillableSeconds), CancellationToken.None);
        }
    }

    /// <inheritdoc />
    public IEnumerable<string> ValidateParameters(string? parameters)
    {
        var p = ParameterChecks.Parse<PrepaidParameters>(parameters);
        return
        [
            .. ParameterChecks.Unknown(p),
            .. ParameterChecks.Target("target", p.Target),
            .. ParameterChecks.If(p.Account is { } account && string.IsNullOrWhiteSpace(account), "account: empty (leave it out to charge the caller's number)"),
            .. ParameterChecks.Range("minimumSeconds", p.MinimumSeconds, 1, int.MaxValue),
            .. ParameterChecks.Range("openingSeconds", p.OpeningSeconds, 0, int.MaxValue),
        ];
    }
}

/// <summary>The <c>prepaid</c> flow's parameters.</summary>
public sealed record PrepaidParameters : FlowParameterSet
{
    /// <summary>Where the call goes when the balance allows it (a SIP URI).</summary>
    public string? Target { get; init; }

    /// <summary>The account charged (a prepaid account grain's key); absent: the caller's number.</summary>
    public string? Account { get; init; }

    /// <summary>The least balance a call may start with.</summary>
    public long MinimumSeconds { get; init; } = 1;

    /// <summary>The credit a new account starts with (a trial balance); 0: accounts start empty and must be credited.</summary>
    public long OpeningSeconds { get; init; }
}

/// <summary>The account the call is charged to, once it has been let through.</summary>
[GenerateSerializer, Alias("cc.flow.prepaid-state")]
public sealed class PrepaidState
{
    /// <summary>The prepaid account's key; null: the call was refused, nothing to charge.</summary>
    [Id(0)] public string? Account { get; set; }
}
