using CallControl.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>A prepaid account's balance, persisted with every change; it remembers the calls it charged last.</summary>
/// <remarks>
/// A charge is taken in memory and saved write-behind (<see cref="WriteBehind"/>, as a call's state is): with
/// PostgreSQL down the call still ends, and a grain timer stores the charge once the store takes writes again (or
/// at deactivation). A charge is keyed by its call's id, so telling it again changes nothing, and a write that finds
/// the row moved on re-reads it and takes again only the charges it lacks (<see cref="UnstoredCharges"/>). Credits
/// and the opening credit carry no such key: they are confirmed only once stored, and refused while the store is down.
/// </remarks>
[GrainType("cc-prepaid-account")]
public sealed partial class PrepaidAccountGrain(
    [PersistentState("account", GrainStorage.Dialogs)] IPersistentState<PrepaidAccountState> store,
    ILogger<PrepaidAccountGrain> logger) : Grain, IPrepaidAccountGrain
{
    /// <summary>
    /// How many charged calls are remembered: a repeated charge comes within moments of the first (a call's end
    /// told again after a failover), or within an outage's retries, by when far fewer calls than this have ended on one account.
    /// </summary>
    public const int RememberedCharges = 256;

    private readonly UnstoredCharges _unstored = new();
    private WriteBehind? _persist;

    private WriteBehind Persist => _persist ??= new WriteBehind(
        this,
        WriteAsync,
        store.ClearStateAsync,
        cleaned: static () => { },
        conflicted: DeactivateOnIdle, // only when even the re-read row could not be written: start again from the store
        logger,
        $"Prepaid account {this.GetPrimaryKeyString()}");

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
        return await StoreOrUndoAsync(state =>
        {
            state.Opened = false;
            state.BalanceSeconds -= openingSeconds;
        });
    }

    /// <inheritdoc />
    public async Task<long> Credit(long seconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(seconds);
        store.State.BalanceSeconds = checked(store.State.BalanceSeconds + seconds);
        return await StoreOrUndoAsync(state => state.BalanceSeconds -= seconds);
    }

    /// <inheritdoc />
    public async Task<long> Charge(string callId, long seconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentOutOfRangeException.ThrowIfNegative(seconds);
        if (!store.State.Charge(callId, seconds, RememberedCharges))
        {
            return store.State.BalanceSeconds;
        }

        _unstored.Add(callId, seconds);
        if (!await Persist.SaveAsync(CancellationToken.None))
        {
            Log.ChargeDeferred(logger, this.GetPrimaryKeyString(), callId, seconds);
        }

        return store.State.BalanceSeconds;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _persist?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Saves a change that must be stored before it is confirmed; when the store is down the change is taken back
    /// (the retry timer then writes the state without it) and the caller gets the failure, to try again later.
    /// </summary>
    private async Task<long> StoreOrUndoAsync(Action<PrepaidAccountState> undo)
    {
        bool stored;
        try
        {
            stored = await Persist.SaveAsync(CancellationToken.None);
        }
        catch
        {
            undo(store.State);
            throw;
        }

        if (!stored)
        {
            undo(store.State);
            throw new InvalidOperationException($"Prepaid account {this.GetPrimaryKeyString()}: the store is unavailable; nothing was changed, try again later.");
        }

        return store.State.BalanceSeconds;
    }

    /// <summary>Writes the state; if the row moved on since it was read, re-reads it and takes the unstored charges again on it.</summary>
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.WriteStateAsync(cancellationToken);
        }
        catch (InconsistentStateException)
        {
            await store.ReadStateAsync(cancellationToken);
            var taken = _unstored.ReplayOnto(store.State, RememberedCharges);
            Log.Reconciled(logger, this.GetPrimaryKeyString(), _unstored.Count, taken);
            await store.WriteStateAsync(cancellationToken);
        }

        _unstored.Clear();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Prepaid account {Account}: the charge of {Seconds} s for call {CallId} is taken in memory and stored when the store is back")]
        public static partial void ChargeDeferred(ILogger logger, string account, string callId, long seconds);

        [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Prepaid account {Account}: the stored row had moved on; re-read it and took {Taken} of {Unstored} unstored charges again (the others were stored already)")]
        public static partial void Reconciled(ILogger logger, string account, int unstored, int taken);
    }
}
