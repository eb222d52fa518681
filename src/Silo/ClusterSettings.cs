using Microsoft.Extensions.Configuration;

namespace CallControl.Silo;

/// <summary>
/// How this process joins a cluster (<c>CallControl:Cluster</c>): through Redis when <c>Redis</c> is set
/// (a StackExchange.Redis configuration, e.g. 127.0.0.1:56379), else alone with localhost clustering.
/// <c>Kubernetes</c> (default false) makes a Redis-clustered silo take its name and address from its pod (POD_NAME,
/// POD_IP, POD_NAMESPACE) and have the silos of deleted pods declared dead (docs/operations.md). It is a setting, not
/// a guess from KUBERNETES_SERVICE_HOST: a CI runner or dev container in a pod has that too, but not the RBAC.
/// </summary>
public sealed record ClusterSettings(string? Redis, string ClusterId, string ServiceId, bool Kubernetes)
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Cluster";

    /// <summary>Reads the section; ids default to "callcontrol".</summary>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new ClusterSettings(
            section["Redis"] is { Length: > 0 } redis ? redis : null,
            section["ClusterId"] is { Length: > 0 } cluster ? cluster : "callcontrol",
            section["ServiceId"] is { Length: > 0 } service ? service : "callcontrol",
            section.GetValue("Kubernetes", defaultValue: false));
    }
}
