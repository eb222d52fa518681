using CallControl.Edge.Hosting;
using Orleans.Runtime;

namespace CallControl.Silo;

/// <summary>A silo takes traffic once membership lists it Active (ORLEANS.md §7).</summary>
internal sealed class SiloReadiness(IClusterMembershipService membership, ILocalSiloDetails silo) : IReadinessCheck
{
    public string? NotReadyBecause()
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return status == SiloStatus.Active ? null : $"silo {silo.Name}: membership status {status}";
    }
}
