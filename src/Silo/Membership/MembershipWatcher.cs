using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CallControl.Silo.Membership;

/// <summary>
/// Logs every change of a cluster member's status as this silo sees it ("Cluster member S127.0.0.1:11112:… (silo-2)
/// is Dead"), and counts them (meter <c>CallControl.Cluster</c>: callcontrol.membership.changes by status). The fault
/// suite reads these lines for its detection times; the alerts read the counter.
/// </summary>
internal sealed partial class MembershipWatcher(IClusterMembershipService membership, ILogger<MembershipWatcher> logger, IMeterFactory meterFactory) : BackgroundService
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
                }

                first = false;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Cluster member {Silo} ({Name}) is {Status}")]
        public static partial void StatusChanged(ILogger logger, SiloAddress silo, string name, SiloStatus status);
    }
}
