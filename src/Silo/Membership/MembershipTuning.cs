using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CallControl.Silo.Membership;

/// <summary>
/// How fast a dead silo is declared dead (ORLEANS.md §2.2). Orleans' defaults take about 11 s on a young cluster,
/// and every call on the dead silo waits that long; a caller's INVITE transaction gives up at 32 s and a phone's
/// user sooner. These defaults declare a SIGKILLed or cut-off silo dead in about 2–5 s (measured by scripts/faults;
/// docs/reliability.md) and are overridden under <c>CallControl:Cluster:Membership</c> with Orleans' own option
/// names (ProbeTimeout, NumMissedProbesLimit, NumVotesForDeathDeclaration, DeathVoteExpirationTimeout,
/// IAmAliveTablePublishTimeout, TableRefreshTimeout, ...).
/// </summary>
public static class MembershipTuning
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Cluster:Membership";

    /// <summary>Our defaults, then what configuration says.</summary>
    public static void Apply(ClusterMembershipOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);

        // A probe about every 0.75–1.5 s (the adaptive period settles near ProbeTimeout/2); three misses in a row, then
        // a vote; two silos' votes declare a silo dead. 2 s took 5.4 s to evict a silo cut off by a dropping network
        // (a refused connection fails faster). Lower invites false suspicions from GC pauses and CPU throttling, which
        // scripts/faults counts; Orleans lengthens timeouts while this silo itself is degraded.
        options.ProbeTimeout = TimeSpan.FromSeconds(1.5);
        options.NumMissedProbesLimit = 3;
        options.NumVotesForDeathDeclaration = 2;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(45);

        // Indirect probes off: a silo cut off by a network that drops packets (scripts/faults silo-partition) was
        // never declared dead with them on. The last probe goes through another silo, whose own probe of the target
        // runs for the same adaptive timeout as our request to it, so our request times out first, every time, and an
        // indirect probe that times out is no vote (Orleans reads it as the intermediary's fault). Direct probes
        // only: three misses, and two silos' votes (NumVotesForDeathDeclaration), declared the silo dead in seconds.
        options.EnableIndirectProbes = false;

        // Connection liveness check off: it suppresses every vote against a silo that sent anything on a connection
        // in the last 24 s (4 × ProbeTimeout × NumMissedProbesLimit), which is right after the cut, so the cut-off
        // silo was declared dead only after 24.9 s. Votes still take two silos, so one slow silo cannot evict another.
        options.EnableConnectionLivenessCheck = false;

        // Heartbeats and full table reads every 10 s (defaults 30 s and 60 s): a silo missed by gossip (Redis was
        // down, say) is seen within seconds of the table being readable again.
        options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        configuration.GetSection(Section).Bind(options);
    }

    /// <summary>Problems with the result, each naming its key (Orleans' own validation says less).</summary>
    public static IReadOnlyList<string> Problems(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ProbeTimeout < TimeSpan.FromMilliseconds(500) || options.ProbeTimeout > TimeSpan.FromMinutes(1))
        {
            problems.Add($"{Section}:ProbeTimeout must be between 0.5 s and 1 min; got {options.ProbeTimeout}.");
        }

        if (options.NumMissedProbesLimit < 1)
        {
            problems.Add($"{Section}:NumMissedProbesLimit must be at least 1; got {options.NumMissedProbesLimit}.");
        }

        if (options.NumVotesForDeathDeclaration < 1)
        {
            problems.Add($"{Section}:NumVotesForDeathDeclaration must be at least 1; got {options.NumVotesForDeathDeclaration}.");
        }

        if (options.DeathVoteExpirationTimeout < options.ProbeTimeout * options.NumMissedProbesLimit)
        {
            problems.Add($"{Section}:DeathVoteExpirationTimeout ({options.DeathVoteExpirationTimeout}) must outlast the probes that lead to a vote ({options.ProbeTimeout * options.NumMissedProbesLimit}).");
        }

        return problems;
    }
}

/// <summary>Stops start-up on membership settings that cannot work, naming the key.</summary>
public sealed class MembershipOptionsValidator : IValidateOptions<ClusterMembershipOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterMembershipOptions options)
        => MembershipTuning.Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}
