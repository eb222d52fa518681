using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A cluster of its own for <see cref="EdgeDeathFlowTests"/>, whose every test SIGKILLs edge 1: one silo, two edges
/// behind the balancer, the tests' subscribers, and a ring timeout long enough (30 s) that a fork stuck on a dead edge
/// would show as a slow answer rather than hide behind a quick no-answer.
/// </summary>
public sealed class EdgeDeathFlowFixture : IAsyncLifetime
{
    public const string Password = "through-the-looking-glass";

    /// <summary>One user per test, so no test finds another's bindings.</summary>
    public static readonly IReadOnlyList<string> Users = ["alice-tcp", "alice-tls", "carol", "dave"];

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string> { ["CallControl__Calls__RingTimeout"] = "00:00:30" };
        // Calls to anyone not registered go to a port where nothing listens: no test here places one.
        Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{FreePorts.Next()}", silos: 1, edges: 2, settings);
        foreach (var user in Users)
        {
            await Cluster.AddSubscriberAsync(user, Password);
        }
    }

    /// <summary>Edge 1 running again if a test killed it, and both edges in the balancer's sets.</summary>
    public async Task BothEdgesUpAsync()
    {
        if (!Cluster.IsRunning("edge-1"))
        {
            await Cluster.ProcessAsync("start", "edge-1");
        }

        await Cluster.WaitForBalancerAsync("edge-1", active: true, TimeSpan.FromSeconds(15));
        await Cluster.WaitForBalancerAsync("edge-2", active: true, TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
