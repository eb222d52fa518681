using System.Globalization;
using System.Text.RegularExpressions;
using CallControl.Grains;
using CallControl.Grains.Cdr;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The embedded default node as a real process (the built src/Silo), on ports of its own, with its own
/// CDR log. Started by the test, stopped by its PID.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private NodeProcess(ChildProcess process, string directory, int sipPort, int tlsPort, int httpPort)
    {
        _process = process;
        Directory = directory;
        SipPort = sipPort;
        TlsPort = tlsPort;
        HttpPort = httpPort;
    }

    /// <summary>The HTTP port (/healthz, /readyz, /metrics) on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The node's working directory (it holds data/cdr.jsonl).</summary>
    public string Directory { get; }

    /// <summary>The SIP port, UDP and TCP, on 127.0.0.1.</summary>
    public int SipPort { get; }

    /// <summary>The SIP-over-TLS port on 127.0.0.1.</summary>
    public int TlsPort { get; }

    public string CdrPath => Path.Combine(Directory, "data", "cdr.jsonl");

    public string Output => _process.Output;

    /// <summary>Starts a node that routes every call to <paramref name="defaultTarget"/> and waits until it listens.</summary>
    public static async Task<NodeProcess> StartAsync(string defaultTarget, IReadOnlyDictionary<string, string>? settings = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "callcontrol-e2e", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var environment = new Dictionary<string, string>
        {
            ["CallControl__Edge__Port"] = "0",
            ["CallControl__Edge__TlsPort"] = "0",
            ["CallControl__Http__Port"] = "0",
            ["CallControl__Routing__DefaultTarget"] = defaultTarget,
            ["CallControl__Silo__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["CallControl__Silo__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["DOTNET_gcServer"] = "0", // two nodes and sipp share two cores in CI
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var process = ChildProcess.Start("dotnet", [RepoPaths.SiloDll], directory, environment);
        try
        {
            var udp = await process.WaitForLineAsync(l => l.Contains("SIP edge listening on Udp", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
            var tls = await process.WaitForLineAsync(l => l.Contains("SIP edge listening on Tls", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            var http = await process.WaitForLineAsync(l => l.Contains("Now listening on: http://", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            return new NodeProcess(process, directory, Port(udp), Port(tls), int.Parse(http[(http.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>The port the node's edge listens on for <paramref name="transport"/> ("Ws", "Wss", as event 4201 names it), once it says so.</summary>
    public async Task<int> ListeningPortAsync(string transport)
        => Port(await _process.WaitForLineAsync(l => l.Contains($"SIP edge listening on {transport} ", StringComparison.Ordinal), TimeSpan.FromSeconds(30)));

    /// <summary>SIGTERM: the node begins its graceful stop.</summary>
    public void Terminate() => _process.Terminate();

    /// <summary>Completes with the first output line that matches; fails if the node exits first or time runs out.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) => _process.WaitForLineAsync(match, timeout);

    /// <summary>Waits for the node to exit by itself (killed, and failed, if it does not in time).</summary>
    public Task<int> WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync(timeout);

    /// <summary>The node's resident set size (VmRSS), from /proc.</summary>
    public long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Every CDR written so far.</summary>
    public IReadOnlyList<CallDetailRecord> ReadCdrs()
        => File.Exists(CdrPath)
            ? [.. File.ReadAllLines(CdrPath).Where(l => l.Length > 0).Select(l => CdrJson.FromUtf8(System.Text.Encoding.UTF8.GetBytes(l))!)]
            : [];

    /// <summary>The CDRs of calls whose Call-ID starts with a prefix (each test gives its calls one).</summary>
    public IReadOnlyList<CallDetailRecord> CdrsFor(string callIdPrefix) => [.. ReadCdrs().Where(c => c.CallId.StartsWith(callIdPrefix, StringComparison.Ordinal))];

    /// <summary>
    /// As <see cref="CdrsFor"/>, waiting (bounded, 10 s) for at least one: the CDR is durable before the caller's 200
    /// goes out, but the JSON-lines file may lag its outbox.
    /// </summary>
    public async Task<IReadOnlyList<CallDetailRecord>> WaitForCdrsAsync(string callIdPrefix)
    {
        var cdrs = CdrsFor(callIdPrefix);
        for (var attempt = 0; attempt < 100 && cdrs.Count == 0; attempt++)
        {
            await Task.Delay(100);
            cdrs = CdrsFor(callIdPrefix);
        }

        return cdrs;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: it is under the temp directory.
        }
    }

    private static int Port(string listeningLine) => int.Parse(PortPattern().Match(listeningLine).Groups[1].Value, CultureInfo.InvariantCulture);

    // "127.0.0.1:5060" or "[::1]:5060" (IPEndPoint's two forms): the port is after the last colon.
    [GeneratedRegex(@"listening on \w+ (?:[0-9.]+|\[[0-9a-fA-F:.]+\]):(\d+)")]
    private static partial Regex PortPattern();
}
