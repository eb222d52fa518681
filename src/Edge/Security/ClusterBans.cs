using CallControl.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Security;

/// <summary>
/// Keeps this edge's bans and the cluster's in step through the one <see cref="IBanListGrain"/>: tells it of each ban
/// made here as soon as it is made, and asks it every <see cref="SecurityOptions.BanSyncInterval"/> (500 ms) what
/// changed, so a ban any edge (or the CLI) makes applies on every edge within a second, and a restarted edge has the
/// whole list from its first sync. Polling rather than a push from the grain: a poll needs no list of edges and no
/// retry per edge, recovers by itself when the grain moves to another silo, and costs one small message per edge per
/// half second. Also ends bans that ran out and forgets idle sources.
/// </summary>
public sealed partial class ClusterBans(IGrainFactory grains, EdgeSecurity security, IOptions<SecurityOptions> options, ILogger<ClusterBans> logger) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);
    private Guid _epoch;
    private long _version;
    private bool _failing;

    /// <summary>How long the start waits for the cluster's bans before the edge listens without them.</summary>
    internal static readonly TimeSpan FirstSyncTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Takes the cluster's bans before the edge starts listening (this service is registered before it), so a restarted
    /// edge never answers a banned source in its first moments; a cluster out of reach delays the start by at most
    /// <see cref="FirstSyncTimeout"/>.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await SyncAsync(FirstSyncTimeout);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BanSyncInterval;
        var lastSweep = security.Time.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            await SyncAsync(interval);
            EndBans();
            if (security.Time.GetElapsedTime(lastSweep) >= SweepInterval)
            {
                security.Guard.Sweep();
                lastSweep = security.Time.GetTimestamp();
            }

            try
            {
                await security.WaitForBanAsync(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SyncAsync(TimeSpan timeout)
    {
        var list = grains.GetGrain<IBanListGrain>(IBanListGrain.Key);
        var unpublished = security.TakeUnpublished();
        try
        {
            for (var i = 0; i < unpublished.Count; i++)
            {
                await list.Ban(unpublished[i]).WaitAsync(timeout);
                unpublished[i] = null!;
            }

            var changes = await list.Changes(_epoch, _version).WaitAsync(timeout);
            Apply(changes);
            if (_failing)
            {
                Log.Syncing(logger);
            }

            _failing = false;
        }
#pragma warning disable CA1031 // the cluster out of reach (starting, a silo dying): bans made here still apply here, and are told later
        catch (Exception e)
#pragma warning restore CA1031
        {
            security.Requeue(unpublished.Where(b => b is not null));
            if (!_failing)
            {
                Log.SyncFailed(logger, e.GetBaseException().Message);
            }

            _failing = true;
        }
    }

    private void Apply(BanChanges changes)
    {
        var now = security.Time.GetUtcNow();
        if (changes.Full)
        {
            // The whole list, and the bans made here since this sync began, which the cluster has yet to hear of.
            foreach (var lifted in security.Bans.Replace([.. changes.Added, .. security.Unpublished], now))
            {
                Unbanned(lifted, "lifted");
            }
        }
        else
        {
            foreach (var ban in changes.Added)
            {
                security.Bans.Add(ban, now);
            }

            foreach (var source in changes.Removed)
            {
                if (security.Bans.Remove(source) is { } lifted)
                {
                    Unbanned(lifted, "lifted");
                }
            }
        }

        (_epoch, _version) = (changes.Epoch, changes.Version);
    }

    private void EndBans()
    {
        foreach (var ended in security.Bans.Sweep(security.Time.GetUtcNow()))
        {
            Unbanned(ended, "expired");
        }
    }

    private void Unbanned(SourceBan ban, string why)
    {
        if (System.Net.IPAddress.TryParse(ban.Source, out var address))
        {
            security.Log.Unbanned(address, why);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4310, Level = LogLevel.Warning, Message = "Bans could not be synchronised with the cluster ({Reason}); this edge's own bans still apply, and trying again every interval")]
        public static partial void SyncFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 4311, Level = LogLevel.Information, Message = "Bans are synchronised with the cluster again")]
        public static partial void Syncing(ILogger logger);
    }
}
