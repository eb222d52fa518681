namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>A prepaid account's balance, persisted with every change; it remembers the calls it charged last.</summary>
[GrainType("cc-prepaid-account")]
public sealed class PrepaidAccountGrain([PersistentState("account", GrainStorage.Dialogs)] IPersistentState<PrepaidAccountState> store) : Grain, IPrepaidAccountGrain
{
    /// <summary>
    /// How many charged calls are remembered: a repeated charge comes within moments of the first (a call's end
    /// told again after a failover), by when far fewer calls than this have ended on one account.
    /// </summary>
    public const int RememberedCharges = 256;

    /// <inheritdoc />
    public Task<long> GetBalanceSeconds() => Task.FromResult(store.State.BalanceSeconds);

    /// <inheritdoc />
    public async Task<long> Open(long openingSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(openingSeconds);
        if (store.State.Opened)
        {
            return store.State.BalanceSeconds;
        }

        store.State.Opened = true;
        store.State.BalanceSeconds = checked(store.State.BalanceSeconds + openingSeconds);
        return await SaveAsync();
    }

    /// <inheritdoc />
    public async Task<long> Credit(long seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        store.State.BalanceSeconds = checked(store.State.BalanceSeconds + seconds);
        return await SaveAsync();
    }

    /// <inheritdoc />
    public async Task<long> Charge(string callId, long seconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        var state = store.State;
        if (state.Charged.Contains(callId))
        {
            return state.BalanceSeconds;
        }

        state.BalanceSeconds = checked(state.BalanceSeconds - seconds);
        state.Charged.Add(callId);
        if (state.Charged.Count > RememberedCharges)
        {
            state.Charged.RemoveRange(0, state.Charged.Count - RememberedCharges);
        }

        return await SaveAsync();
    }

    private async Task<long> SaveAsync()
    {
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle(); // what is in memory was not stored: read the stored balance afresh next time
            throw;
        }

        return store.State.BalanceSeconds;
    }
}

/// <summary>A prepaid account's persisted state. Ids are append only.</summary>
[GenerateSerializer, Alias("cc.prepaid-account-state")]
public sealed class PrepaidAccountState
{
    /// <summary>The seconds left.</summary>
    [Id(0)] public long BalanceSeconds { get; set; }

    /// <summary>The Call-IDs of the calls charged last, oldest first (at most <see cref="PrepaidAccountGrain.RememberedCharges"/>).</summary>
    [Id(1)] public List<string> Charged { get; set; } = [];

    /// <summary>The opening credit has been given (see <see cref="IPrepaidAccountGrain.Open"/>).</summary>
    [Id(2)] public bool Opened { get; set; }
}
