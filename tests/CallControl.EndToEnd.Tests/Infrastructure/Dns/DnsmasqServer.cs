namespace CallControl.EndToEnd.Tests.Infrastructure.Dns;

/// <summary>
/// A real DNS server for a test (Debian's dnsmasq, scripts/lib/prereqs.sh ensure_dnsmasq) serving one
/// <see cref="DnsZone"/> on a loopback port of its own, in the foreground, stopped by its PID. Its log of queries is
/// <see cref="Output"/>.
/// </summary>
public sealed class DnsmasqServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private DnsmasqServer(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server as <c>CallControl:Dns:Servers</c> takes it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public string Output => _process.Output;

    /// <summary>How many <paramref name="type"/> queries (A, AAAA, SRV, NAPTR) it was asked for <paramref name="name"/> so far.</summary>
    public int QueriesFor(string name, string type) => Output.Split('\n').Count(l => l.Contains($"query[{type}] {name} from", StringComparison.Ordinal));

    public static async Task<DnsmasqServer> StartAsync(DnsZone zone)
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("callcontrol-dns-").FullName;
        var configuration = Path.Combine(directory, "dnsmasq.conf");
        await File.WriteAllTextAsync(configuration, zone.Configuration(port));
        var process = ChildProcess.Start(
            "/usr/sbin/dnsmasq",
            [$"--conf-file={configuration}", "--keep-in-foreground", "--pid-file=", "--user=root", "--log-facility=-"],
            directory);
        var server = new DnsmasqServer(process, directory, port);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("started, version", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
