using System.Globalization;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Kamailio (Debian's 5.6) as a carrier's stateful, record-routing proxy (Interop/kamailio-upstream.cfg) on a
/// loopback UDP port of its own, sending every new INVITE on to a callee; in the foreground, stopped by its PID.
/// </summary>
internal sealed class KamailioProxy : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private KamailioProxy(ChildProcess process, string directory, int port) => (_process, _directory, Port) = (process, directory, port);

    public int Port { get; }

    public string Output => _process.Output;

    /// <summary>The requests it relayed: "INVITE for URI" for new ones, "in-dialog METHOD to URI" for the others.</summary>
    public IReadOnlyList<string> Relayed => [.. Output.Split('\n').Select(l => l.IndexOf("upstream: relayed ", StringComparison.Ordinal) is var at and >= 0 ? l[(at + 18)..].Trim() : null).OfType<string>()];

    public static async Task<KamailioProxy> StartAsync(int calleePort)
    {
        var port = FreePorts.Next();
        var directory = Directory.CreateTempSubdirectory("callcontrol-kamailio-").FullName;
        var process = ChildProcess.Start(
            "kamailio",
            ["-f", Path.Combine(AppContext.BaseDirectory, "Interop", "kamailio-upstream.cfg"), "-DD", "-E", "-m", "64", "-M", "8", "-Y", directory,
             "-A", $"LISTEN=udp:127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-A", $"CALLEE=\"127.0.0.1:{calleePort.ToString(CultureInfo.InvariantCulture)}\""],
            directory);
        var proxy = new KamailioProxy(process, directory, port);
        try
        {
            await Sipp.WaitUntilBoundAsync(port, "udp", process);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
