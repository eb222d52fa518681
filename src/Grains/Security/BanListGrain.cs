using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Security;

/// <summary>
/// <see cref="IBanListGrain"/>: the cluster's bans, in a <see cref="BanLedger"/> in memory and in the
/// <see cref="IBanStore"/>. A ban is stored before it is acknowledged, so it survives this activation; the store is read
/// again every <see cref="ReloadInterval"/> for the bans the CLI adds and removes there, and after a reactivation
/// (a silo died) the ledger is rebuilt from it under a new epoch, so every edge takes the whole list again.
/// </summary>
[GrainType("cc-ban-list")]
public sealed partial class BanListGrain(IBanStore store, TimeProvider time, ILogger<BanListGrain> logger) : Grain, IBanListGrain
{
    /// <summary>How often the store is read for the CLI's changes.</summary>
    public static readonly TimeSpan ReloadInterval = TimeSpan.FromSeconds(2);

    private readonly BanLedger _ledger = new(Guid.NewGuid());

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger.Reconcile(await store.LoadAsync(time.GetUtcNow(), cancellationToken), time.GetUtcNow());
        this.RegisterGrainTimer(ReloadAsync, new GrainTimerCreationOptions(ReloadInterval, ReloadInterval) { KeepAlive = true });
    }

    /// <inheritdoc />
    public async Task Ban(SourceBan ban)
    {
        ArgumentNullException.ThrowIfNull(ban);
        await store.SaveAsync(ban, CancellationToken.None);
        _ledger.Extend(ban); // as the store keeps it: a shorter ban from one edge never cuts an operator's longer one
    }

    /// <inheritdoc />
    public async Task<bool> Unban(string source)
    {
        var stored = await store.RemoveAsync(source, CancellationToken.None);
        return _ledger.Remove(source) || stored;
    }

    /// <inheritdoc />
    public Task<SourceBan[]> List() => Task.FromResult(_ledger.Live(time.GetUtcNow()));

    /// <inheritdoc />
    public Task<BanChanges> Changes(Guid epoch, long version) => Task.FromResult(_ledger.Since(epoch, version, time.GetUtcNow()));

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _ledger.Reconcile(await store.LoadAsync(time.GetUtcNow(), cancellationToken), time.GetUtcNow());
        }
#pragma warning disable CA1031 // the store being out of reach is no reason to lose the bans in memory: next time
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ReloadFailed(logger, e.GetBaseException().Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Ban list: the store could not be read ({Reason}); keeping the bans in memory")]
        public static partial void ReloadFailed(ILogger logger, string reason);
    }
}
