using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Ng;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>
/// A real rtpengine (Debian's rtpengine-daemon, installed by scripts/test's ensure_rtpengine) of the test's own:
/// userspace only (<c>--table=-1</c>), no config file, on 127.0.0.1 with its ng socket and media ports on free
/// loopback ports, <c>--delete-delay=0</c>. Ready once it logs <c>Startup complete</c> and answers a ping; stopped
/// (SIGKILL) by its PID when disposed, or sooner with <see cref="KillAsync"/>.
/// </summary>
internal sealed class RtpengineProcess : IAsyncDisposable
{
    private const int MediaPorts = 40; // 10 calls of two legs, RTP and RTCP each
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly ChildProcess _process;
    private readonly string _directory;
    private bool _killed;

    private RtpengineProcess(ChildProcess process, string directory, NgAddress address, int portMin)
    {
        _process = process;
        _directory = directory;
        Address = address;
        PortMin = portMin;
    }

    /// <summary>Its ng socket.</summary>
    public NgAddress Address { get; }

    /// <summary>The first of its media ports.</summary>
    public int PortMin { get; }

    /// <summary>The last of its media ports.</summary>
    public int PortMax => PortMin + MediaPorts - 1;

    public int Pid => _process.Pid;

    /// <summary>Its log so far (stderr).</summary>
    public string Output => _process.Output;

    public static async Task<RtpengineProcess> StartAsync()
    {
        if (!File.Exists("/usr/bin/rtpengine"))
        {
            throw new InvalidOperationException("rtpengine is not installed: scripts/test installs it (ensure_rtpengine), or apt-get install --no-install-recommends rtpengine-daemon");
        }

        var ng = FreePorts.Next();
        var portMin = FreePorts.Block(MediaPorts);
        var directory = Directory.CreateTempSubdirectory("callcontrol-rtpengine-").FullName;
        string[] arguments =
        [
            "--config-file=none", "--table=-1", "--interface=127.0.0.1",
            $"--listen-ng=127.0.0.1:{ng.ToString(CultureInfo.InvariantCulture)}",
            $"--port-min={portMin.ToString(CultureInfo.InvariantCulture)}", $"--port-max={(portMin + MediaPorts - 1).ToString(CultureInfo.InvariantCulture)}",
            "--foreground", "--log-stderr", "--log-level=7", "--delete-delay=0",
            $"--pidfile={Path.Combine(directory, "rtpengine.pid")}",
        ];
        var process = ChildProcess.Start("rtpengine", arguments, directory);
        var engine = new RtpengineProcess(process, directory, new NgAddress("127.0.0.1", ng), portMin);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("Startup complete", StringComparison.Ordinal), StartTimeout);
            using var client = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 5), TimeProvider.System, NullLogger<NgClient>.Instance);
            await client.PingAsync(engine.Address);
            return engine;
        }
        catch
        {
            await engine.DisposeAsync();
            throw;
        }
    }

    /// <summary>Completes with the first log line that matches (past or future).</summary>
    public Task<string> WaitForLogAsync(Func<string, bool> match) => _process.WaitForLineAsync(match, TimeSpan.FromSeconds(10));

    /// <summary>SIGKILLs it by its PID (a crash) and waits until it is gone.</summary>
    public async ValueTask KillAsync()
    {
        if (!_killed)
        {
            _killed = true;
            await _process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
