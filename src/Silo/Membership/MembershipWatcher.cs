using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using CallControl.Grains.Recovery;
using Orleans.Runtime;

namespace CallControl.Silo.Membership;

/// <summary>
/// Logs every change of a cluster member's status as this silo sees it ("Cluster member S127.0.0.1:11112:… (silo-2)
/// is Dead"), and counts them (meter <c>CallControl.Cluster</c>: callcontrol.membership.changes by status). The fault
/// suite reads these lines for its detection times; the alerts read the counter. A member seen to die has its orphaned
/// calls woken (<see cref="IOrphanedCallsGrain"/>; docs/reliability.md, "Calls a dead silo held"), where the calls' state
/// is in a shared store.
/// </summary>
internal sealed partial class MembershipWatcher(
    IClusterMembershipService membership, IGrainFactory grains, ILocalSiloDetails local, IServiceProvider services, ILogger<MembershipWatcher> logger, IMeterFactory meterFactory)
    : BackgroundService
{
    public const string MeterName = "CallControl.Cluster";
    private readonly Counter<long> _changes = meterFactory.Create(MeterName).CreateCounter<long>("callcontrol.membership.changes", description: "Cluster member status changes seen by this silo, by new status");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var known = new Dictionary<SiloAddress, SiloStatus>();
        var first = true;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var (address, member) in snapshot.Members)
                {
                    if (known.TryGetValue(address, out var before) && before == member.Status)
                    {
                        continue;
                    }

                    known[address] = member.Status;
                    if (first && member.Status == SiloStatus.Dead)
                    {
                        continue; // history from the table (silos that died before this one started), not a change
                    }

                    _changes.Add(1, new KeyValuePair<string, object?>("status", member.Status.ToString()));
                    Log.StatusChanged(logger, address, member.Name, member.Status);
                    if (member.Status == SiloStatus.Dead && !address.Equals(local.SiloAddress) && services.GetService(typeof(IStoredCalls)) is not null)
                    {
                        _ = WakeOrphansAsync(address);
                    }
                }

                first = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Asks for the dead silo's orphaned calls to be woken (every silo that saw it die asks; one pass runs).</summary>
    private async Task WakeOrphansAsync(SiloAddress dead)
    {
        try
        {
            await grains.GetGrain<IOrphanedCallsGrain>(dead.ToParsableString()).WakeCallsAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.WakeFailed(logger, e, dead); // another silo's ask may still run the pass; else calls wake with their next message
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Cluster member {Silo} died, and the wake-up of the calls it held could not be asked for")]
        public static partial void WakeFailed(ILogger logger, Exception exception, SiloAddress silo);

        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Cluster member {Silo} ({Name}) is {Status}")]
        public static partial void StatusChanged(ILogger logger, SiloAddress silo, string name, SiloStatus status);
    }
}
