using System.Globalization;
using CallControl.Media.Ng;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A cluster of its own, started with <c>scripts/cluster up</c> (PostgreSQL, Redis, silos, edges) on free
/// loopback ports and in a folder under .cluster/, and stopped with <c>scripts/cluster down</c>.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    private LocalCluster(Dictionary<string, string> environment, int sipPort, int pgPort)
    {
        _environment = environment;
        SipPort = sipPort;
        ConnectionString = $"Host=127.0.0.1;Port={pgPort};Database=callcontrol;Username=callcontrol";
    }

    public int SipPort { get; }

    public string ConnectionString { get; }

    public string Directory => _environment["CALLCONTROL_CLUSTER_DIR"];

    /// <summary>
    /// Starts a cluster; <paramref name="settings"/> are environment variables every process gets (CallControl__...).
    /// With <paramref name="media"/> K > 0, K rtpengines too (<c>up --media K</c>), ng and media ports free ones, and
    /// the silos anchor media through them.
    /// </summary>
    public static async Task<LocalCluster> UpAsync(string defaultTarget, int silos, int edges, IReadOnlyDictionary<string, string>? settings = null, int media = 0)
    {
        static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        var sip = FreePorts.Block(2);
        var environment = new Dictionary<string, string>
        {
            ["CALLCONTROL_CLUSTER_DIR"] = Path.Combine(RepoPaths.Root, ".cluster", "test-" + Guid.NewGuid().ToString("N")[..8]),
            ["CALLCONTROL_PG_PORT"] = Text(FreePorts.Next()),
            ["CALLCONTROL_REDIS_PORT"] = Text(FreePorts.Next()),
            ["CALLCONTROL_SIP_PORT"] = Text(sip),
            ["CALLCONTROL_TLS_PORT"] = Text(sip + 1),
            ["CALLCONTROL_SILO_PORT"] = Text(FreePorts.Block(silos)),
            ["CALLCONTROL_GATEWAY_PORT"] = Text(FreePorts.Block(silos)),
            ["CALLCONTROL_DEFAULT_TARGET"] = defaultTarget,
            ["CALLCONTROL_HTTP_PORT"] = "0",
            ["CALLCONTROL_CONFIGURATION"] = RepoPaths.Configuration,
            ["CALLCONTROL_SKIP_BUILD"] = "1", // the test build has built it
        };
        if (media > 0)
        {
            environment["CALLCONTROL_MEDIA_PORT"] = Text(FreePorts.Block(media));
            environment["CALLCONTROL_RTP_PORT"] = Text(FreePorts.MediaRange(1000 * media)); // scripts/cluster gives each rtpengine 1,000
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var cluster = new LocalCluster(environment, sip, int.Parse(environment["CALLCONTROL_PG_PORT"], CultureInfo.InvariantCulture));
        var (exit, output) = await cluster.RunAsync(["up", "--silos", Text(silos), "--edges", Text(edges), .. media > 0 ? ["--media", Text(media)] : Array.Empty<string>()], TimeSpan.FromMinutes(4));
        if (exit != 0)
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"scripts/cluster up failed ({exit}):\n{output}");
        }

        return cluster;
    }

    /// <summary>rtpengine <paramref name="number"/>'s ng socket (a cluster started with media).</summary>
    public NgAddress Rtpengine(int number)
        => new("127.0.0.1", int.Parse(_environment["CALLCONTROL_MEDIA_PORT"], CultureInfo.InvariantCulture) + number - 1);

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The CDRs in table cdr of calls whose Call-ID starts with a prefix, read as billing would see them.</summary>
    public async Task<IReadOnlyList<CallControl.Grains.CallDetailRecord>> CdrsForAsync(string callIdPrefix)
    {
        const string sql = """
            SELECT json_build_object('callId', call_id, 'caller', caller, 'calleeDialled', callee_dialled, 'calleeRouted', callee_routed,
                   'inviteTime', invite_time, 'answerTime', answer_time, 'endTime', end_time, 'billableSeconds', billable_seconds,
                   'disposition', disposition, 'finalStatus', final_status, 'hungUpBy', hung_up_by, 'route', route, 'edge', edge, 'silo', silo,
                   'media', media, 'transfers', transfers)::text
              FROM cdr WHERE starts_with(call_id, @prefix) ORDER BY id
            """;
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("prefix", callIdPrefix);
        await using var reader = await command.ExecuteReaderAsync();
        var records = new List<CallControl.Grains.CallDetailRecord>();
        while (await reader.ReadAsync())
        {
            records.Add(CallControl.Grains.Cdr.CdrJson.FromUtf8(System.Text.Encoding.UTF8.GetBytes(reader.GetString(0)))!);
        }

        return records;
    }

    /// <summary>Silo <paramref name="number"/>'s log so far.</summary>
    public string SiloLog(int number) => ProcessLog($"silo-{number}");

    /// <summary>
    /// Edge <paramref name="number"/>'s SIP port (UDP and TCP) when two or more edges stand behind the load balancer,
    /// which then has <see cref="SipPort"/>: scripts/cluster gives edge i SipPort + 100 + 10 i.
    /// </summary>
    public int BalancedEdgePort(int number) => SipPort + 100 + (10 * number);

    /// <summary>The load balancer's view of its edges, from <c>scripts/cluster status</c>: dispatcher set (1 UDP,
    /// 2 TCP), URI and flags (A active, I inactive, P probing).</summary>
    public async Task<IReadOnlyList<(int Set, string Uri, string Flags)>> BalancerEdgesAsync()
    {
        var (exit, output) = await RunAsync(["status"], TimeSpan.FromSeconds(30));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/cluster status failed ({exit}):\n{output}");
        }

        return [.. output.Split('\n')
            .Where(line => line.StartsWith("balancer: ", StringComparison.Ordinal))
            .Select(line => line["balancer: ".Length..].Split(' '))
            .Select(parts => (int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[2]))];
    }

    /// <summary>
    /// Waits, a bounded time, until the balancer's probes have <paramref name="edge"/> ("edge-1") active in both its sets
    /// (UDP and TCP), or, with <paramref name="active"/> false, inactive in both.
    /// </summary>
    public async Task WaitForBalancerAsync(string edge, bool active, TimeSpan within)
    {
        var uri = $"sip:127.0.0.1:{BalancedEdgePort(int.Parse(edge["edge-".Length..], CultureInfo.InvariantCulture))}";
        var deadline = DateTimeOffset.UtcNow + within;
        while (true)
        {
            var flags = (await BalancerEdgesAsync()).Where(e => e.Uri == uri || e.Uri.StartsWith(uri + ";", StringComparison.Ordinal)).Select(e => e.Flags).ToList();
            if (flags.Count == 2 && flags.TrueForAll(f => f.StartsWith('A') == active))
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"the balancer did not find {edge} {(active ? "alive" : "dead")} within {within} ({string.Join(", ", flags)}):\n{ProcessLog("kamailio")}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200)); // the probes' verdict can only be read, not awaited: poll it
        }
    }

    /// <summary>Whether the process scripts/cluster recorded for <paramref name="process"/> ("edge-1") still runs.</summary>
    public bool IsRunning(string process)
    {
        try
        {
            using var target = System.Diagnostics.Process.GetProcessById(Pid(process));
            return !target.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process any more
        }
    }

    /// <summary>A process's log so far ("silo-1", "edge-2", "kamailio", "rtpengine-1").</summary>
    public string ProcessLog(string process)
    {
        var path = Path.Combine(Directory, "logs", $"{process}.log");
        if (!File.Exists(path))
        {
            return "";
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    /// <summary>SIGKILLs one of the cluster's processes ("silo-1", "edge-1", ...) by the PID scripts/cluster recorded.</summary>
    public void Kill(string process)
    {
        using var target = System.Diagnostics.Process.GetProcessById(Pid(process));
        target.Kill();
        target.WaitForExit(TimeSpan.FromSeconds(10));
    }

    private int Pid(string process) => int.Parse(File.ReadAllText(Path.Combine(Directory, "pids", process + ".pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The cluster's process logs (for a failing test's message).</summary>
    public string Logs()
    {
        var folder = Path.Combine(Directory, "logs");
        return System.IO.Directory.Exists(folder)
            ? string.Join("\n", System.IO.Directory.GetFiles(folder, "*-*.log").Concat(System.IO.Directory.GetFiles(folder, "kamailio.log")).Order(StringComparer.Ordinal).Select(f => $"== {Path.GetFileName(f)}\n{string.Join("\n", File.ReadLines(f).TakeLast(40))}"))
            : "";
    }

    /// <summary>Stops (gracefully) or starts one of the cluster's processes: silo-N, edge-N, postgres, redis.</summary>
    public async Task ProcessAsync(string verb, string process)
    {
        var (exit, output) = await RunAsync([verb, process], TimeSpan.FromSeconds(90));
        if (exit != 0)
        {
            throw new InvalidOperationException($"scripts/cluster {verb} {process} failed ({exit}):\n{output}");
        }
    }

    /// <summary>Stops the cluster's PostgreSQL (pg_ctl stop -m fast: open sessions are cut), leaving silos and edges running.</summary>
    public Task StopPostgresAsync() => ProcessAsync("stop", "postgres");

    /// <summary>Starts the cluster's PostgreSQL again, on the same port and data.</summary>
    public async Task StartPostgresAsync()
    {
        await ProcessAsync("start", "postgres");
        NpgsqlConnection.ClearAllPools(); // the test's own pooled connections died with the old server
    }

    /// <summary>Runs src/Cli on the cluster's database (scripts/cluster cli ...).</summary>
    public Task<(int Exit, string Output)> CliAsync(params string[] arguments) => RunAsync(["cli", .. arguments], TimeSpan.FromSeconds(60));

    /// <summary>Adds a subscriber of realm 127.0.0.1 (the registrar's for sip:user@127.0.0.1) with the CLI.</summary>
    public async Task AddSubscriberAsync(string user, string password)
    {
        var (exit, output) = await CliAsync("subscriber", "add", "--username", user, "--realm", "127.0.0.1", "--password", password);
        if (exit != 0)
        {
            throw new InvalidOperationException($"subscriber add failed ({exit}):\n{output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(["down"], TimeSpan.FromMinutes(2));
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Under .cluster/, ignored by git; the next run cleans nothing up from it.
        }
    }

    private async Task<(int Exit, string Output)> RunAsync(string[] arguments, TimeSpan timeout)
    {
        await using var script = ChildProcess.Start("bash", [Path.Combine(RepoPaths.Root, "scripts", "cluster"), .. arguments], RepoPaths.Root, _environment);
        var exit = await script.WaitForExitAsync(timeout);
        return (exit, script.Output);
    }
}
