using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>A real cluster: PostgreSQL, Redis, two silos and one standalone edge, started by scripts/cluster.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public int CalleePort { get; } = FreePorts.Next();

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{CalleePort}", silos: 2, edges: 1);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

public sealed class ClusterCallTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-cluster-").FullName;

    [Fact]
    public async Task Calls_through_the_cluster_are_answered_spread_over_both_silos_and_logged_once_each_in_postgresql()
    {
        const int calls = 40;
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", fixture.CalleePort, calls, _work);
        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls, rate: 20, "cluster-", _work);
        Assert.True(exit == 0, output);
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        // The CDR is in PostgreSQL before the last message of each call goes out.
        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'cluster-%'"));
        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>("SELECT count(DISTINCT call_id) FROM cdr WHERE call_id LIKE 'cluster-%'"));
        Assert.Equal(2, await fixture.Cluster.ScalarAsync<long>("SELECT count(DISTINCT silo) FROM cdr WHERE call_id LIKE 'cluster-%'"));
        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'cluster-%' AND disposition = 'answered' AND edge = 'edge-1'"));
        Assert.Equal(2, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
