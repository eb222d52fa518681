using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A real cluster for the cluster collection: PostgreSQL, Redis, two silos and one standalone edge, started by
/// scripts/cluster. Unrouted calls go to a UDP callee; numbers starting with 9 to a TCP one (a dial-plan route).
/// Short ring timeout and maximum duration, so those outcomes are quick; every other call ends well before.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const string TcpPrefix = "9";

    public int CalleePort { get; } = FreePorts.Next();

    public int TcpCalleePort { get; } = FreePorts.Next();

    internal LocalCluster Cluster { get; private set; } = null!;

    /// <summary>Where every process of the cluster writes its spans (a file each).</summary>
    public string TraceDirectory { get; } = Directory.CreateTempSubdirectory("callcontrol-traces-").FullName;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers)
        {
            ["CallControl__Telemetry__TraceFile"] = Path.Combine(TraceDirectory, "spans-{pid}.jsonl"),
            // The default digest algorithms, set as an operator would: the list binds to these two alone (DigestAlgorithmClusterTests).
            ["CallControl__Sip__Auth__Algorithms__0"] = "MD5",
            ["CallControl__Sip__Auth__Algorithms__1"] = "SHA-256",
        };
        Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{CalleePort}", silos: 2, edges: 1, settings);
        var (exit, output) = await Cluster.CliAsync("route", "add", "--name", "tcp-callee", "--prefix", TcpPrefix, "--targets", $"sip:127.0.0.1:{TcpCalleePort};transport=tcp");
        if (exit != 0)
        {
            throw new InvalidOperationException($"route add failed: {output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        Directory.Delete(TraceDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

[Collection(ClusterCollection.Name)]
public sealed class ClusterCallTests(ClusterFixture fixture) : IDisposable
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
        Assert.Equal(CallControl.Storage.SchemaMigrator.Migrations.Count, (int)await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_dial_plan_route_fails_over_from_an_unreachable_trunk_to_the_next()
    {
        const int calls = 3;
        var dead = FreePorts.Next(); // nothing listens: the TCP connect is refused at once
        var cli = await fixture.Cluster.CliAsync("route", "add", "--name", "seven", "--prefix", "7",
            "--targets", $"sip:127.0.0.1:{dead};transport=tcp,sip:127.0.0.1:{fixture.CalleePort}");
        Assert.True(cli.Exit == 0, cli.Output);
        Assert.Contains($"seven\t7\t", (await fixture.Cluster.CliAsync("route", "list")).Output, StringComparison.Ordinal);

        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", fixture.CalleePort, calls, _work);
        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls, rate: 5, "dialplan-", _work, "-s", "7000");
        Assert.True(exit == 0, output);
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>(
            $"SELECT count(*) FROM cdr WHERE call_id LIKE 'dialplan-%' AND route = 'seven' AND disposition = 'answered' AND callee_routed = 'sip:7000@127.0.0.1:{fixture.CalleePort}'"));
    }

    [Fact]
    public async Task A_trunk_that_challenges_is_answered_with_the_credentials_of_its_route_in_postgresql()
    {
        // docs/interop.md, "Outbound authentication": the credentials are in table route (the CLI's --auth-*), read by the
        // silo that hosts the call when the trunk (auth-401-uas.xml) challenges the INVITE and the BYE.
        const int calls = 2;
        var cli = await fixture.Cluster.CliAsync("route", "add", "--name", "trunk-auth", "--prefix", "5",
            "--targets", $"sip:127.0.0.1:{fixture.CalleePort}", "--auth-user", "trunkuser", "--auth-password", "trunk-secret");
        Assert.True(cli.Exit == 0, cli.Output);

        await using var trunk = await Sipp.StartCalleeAsync("auth-401-uas.xml", "udp", fixture.CalleePort, calls, _work);
        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls, rate: 5, "trunkauth-", _work, "-s", "5000", "-d", "300");
        Assert.True(exit == 0, output);
        Assert.True(await trunk.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, trunk.Output);

        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>(
            "SELECT count(*) FROM cdr WHERE call_id LIKE 'trunkauth-%' AND route = 'trunk-auth' AND disposition = 'answered'"));
        Assert.Equal(0, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'trunkauth-%' AND cdr::text LIKE '%trunk-secret%'"));
        Assert.DoesNotContain("trunk-secret", fixture.Cluster.Logs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_route_added_with_a_header_policy_and_number_rules_by_the_cli_normalises_the_calls_to_its_trunk()
    {
        // docs/interop.md, "Header policy and number normalisation": the policy is in table route (migration 012, the CLI's
        // --header-*, --number-*, --privacy), read by the silo that routes the call and kept in the call's state. The trunk
        // (policy-uas.xml) checks the INVITE's numbers and headers, the caller (policy-uac.xml) the answer's.
        const int calls = 2;
        var cli = await fixture.Cluster.CliAsync("route", "add", "--name", "uk-trunk", "--prefix", "020", "--targets", $"sip:127.0.0.1:{fixture.CalleePort}",
            "--number-strip", "0,00", "--number-add", "+44,+", "--header-allow", "P-Charging-Vector", "--header-deny", "X-Internal-*", "--privacy", "id");
        Assert.True(cli.Exit == 0, cli.Output);

        await using var trunk = await Sipp.StartCalleeAsync("policy-uas.xml", "udp", fixture.CalleePort, calls, _work);
        var (exit, output) = await Sipp.RunCallerAsync("policy-uac.xml", "udp", fixture.Cluster.SipPort, calls, rate: 5, "headerpolicy-", _work, "-s", "02079460000");
        Assert.True(await trunk.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, trunk.Output);
        Assert.True(exit == 0, output);

        Assert.Equal(calls, await fixture.Cluster.ScalarAsync<long>(
            $"SELECT count(*) FROM cdr WHERE call_id LIKE 'headerpolicy-%' AND route = 'uk-trunk' AND disposition = 'answered' AND callee_routed = 'sip:+442079460000@127.0.0.1:{fixture.CalleePort}'"));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
