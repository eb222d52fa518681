using System.Globalization;
using System.Net;
using System.Threading.Channels;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real fail2ban-server (Debian's fail2ban) of the test's own, reading one security log with the shipped filter
/// (contrib/fail2ban/filter.d/callcontrol.conf), so a ban proves that filter. Everything of it lives in a temp
/// directory: a copy of /etc/fail2ban without its jail.d (Debian's sshd jail), its socket, pid file and an in-memory
/// database. Its one jail, <see cref="Jail"/>, bans with a file action (`ban IP jail=J failures=N` appended to
/// <see cref="ActionPath"/>), never the firewall. Started in the foreground, stopped by its PID.
/// </summary>
/// <example>
/// await using var f2b = await Fail2Ban.StartAsync(edgeSecurityLog, maxRetry: 3, findTime: TimeSpan.FromMinutes(10));
/// ... make the edge write failures from 127.0.0.21 ...
/// await f2b.WaitForBanAsync(IPAddress.Parse("127.0.0.21"), TimeSpan.FromSeconds(20));
/// </example>
internal sealed class Fail2Ban : IAsyncDisposable
{
    public const string Jail = "callcontrol";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    private readonly ChildProcess _server;

    private Fail2Ban(ChildProcess server, string directory, string logPath)
    {
        _server = server;
        Directory = directory;
        LogPath = logPath;
    }

    /// <summary>The shipped filter this server uses.</summary>
    public static string ShippedFilter => Path.Combine(RepoPaths.Root, "contrib", "fail2ban", "filter.d", "callcontrol.conf");

    /// <summary>The shipped production jail (not used by this server: it bans with nftables, and ignores loopback).</summary>
    public static string ShippedJail => Path.Combine(RepoPaths.Root, "contrib", "fail2ban", "jail.d", "callcontrol.conf");

    /// <summary>The server's temp directory (config under conf/, socket, pid file, action file).</summary>
    public string Directory { get; }

    /// <summary>The security log the jail reads.</summary>
    public string LogPath { get; }

    /// <summary>The file the jail's action appends its `ban` and `unban` lines to.</summary>
    public string ActionPath => Path.Combine(Directory, "actions.txt");

    public string Socket => Path.Combine(Directory, "f2b.sock");

    public int Pid => _server.Pid;

    /// <summary>The server's own log (its logtarget is its standard output): `Found IP`, `Ban IP` and errors.</summary>
    public string Output => _server.Output;

    /// <summary>
    /// Starts a server whose jail bans a source after <paramref name="maxRetry"/> counted lines within
    /// <paramref name="findTime"/> in <paramref name="logPath"/> (created, with its directory, when missing: fail2ban
    /// does not start a jail without its log; existing lines are read too, the ones within findTime counted). Returns
    /// once the server answers `fail2ban-client ping` and the jail is running.
    /// </summary>
    public static async Task<Fail2Ban> StartAsync(string logPath, int maxRetry, TimeSpan findTime, TimeSpan? banTime = null)
    {
        if (!File.Exists("/usr/bin/fail2ban-server"))
        {
            throw new InvalidOperationException("fail2ban is not installed: scripts/test installs it (ensure_fail2ban), or apt-get install --no-install-recommends fail2ban");
        }

        logPath = Path.GetFullPath(logPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        using (File.Open(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            // Created when missing, never truncated: the edge may have written to it already.
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("callcontrol-f2b-").FullName;
        Fail2BanConfig.Write(directory, logPath, maxRetry, findTime, banTime ?? TimeSpan.FromMinutes(10));
        var server = ChildProcess.Start(
            "fail2ban-server",
            ["-f", "-x", "-c", Path.Combine(directory, "conf"), "-s", Path.Combine(directory, "f2b.sock"), "-p", Path.Combine(directory, "f2b.pid")],
            directory);
        var fail2Ban = new Fail2Ban(server, directory, logPath);
        try
        {
            await server.WaitForLineAsync(l => l.Contains("Server ready", StringComparison.Ordinal), StartTimeout);
            var (exit, pong) = await fail2Ban.ClientAsync("ping");
            if (exit != 0 || !pong.Contains("pong", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"fail2ban-client ping: exit {exit}: {pong}\nServer:\n{server.Output}");
            }

            await fail2Ban.StatusAsync(); // throws unless the jail runs
            return fail2Ban;
        }
        catch
        {
            await fail2Ban.DisposeAsync();
            throw;
        }
    }

    /// <summary>Appends lines (LF-terminated, UTF-8) to the security log, as the edge does.</summary>
    public Task AppendAsync(params string[] lines) => File.AppendAllLinesAsync(LogPath, lines);

    /// <summary>Runs fail2ban-client against this server's socket.</summary>
    public async Task<(int Exit, string Output)> ClientAsync(params string[] arguments)
    {
        await using var client = ChildProcess.Start("fail2ban-client", ["-s", Socket, .. arguments], Directory);
        var exit = await client.WaitForExitAsync(ClientTimeout);
        return (exit, client.Output);
    }

    /// <summary>The jail's counts and banned list, from `fail2ban-client status callcontrol`.</summary>
    public async Task<JailStatus> StatusAsync()
    {
        var (exit, output) = await ClientAsync("status", Jail);
        return exit == 0 ? Fail2BanOutput.ParseStatus(output) : throw new InvalidOperationException($"fail2ban-client status {Jail}: exit {exit}: {output}\nServer:\n{Output}");
    }

    /// <summary>The action file's lines so far.</summary>
    public IReadOnlyList<string> ActionLines() => File.Exists(ActionPath) ? File.ReadAllLines(ActionPath) : [];

    /// <summary>Every address banned so far, from the action file.</summary>
    public IReadOnlyList<IPAddress> BannedAddresses() => Fail2BanOutput.BannedAddresses(ActionLines());

    /// <summary>
    /// Completes with the action file's `ban` line for <paramref name="address"/> (already there, or when it comes):
    /// woken by a watcher on the file, and re-read at least every second; fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForBanAsync(IPAddress address, TimeSpan timeout)
    {
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var watcher = new FileSystemWatcher(Directory, Path.GetFileName(ActionPath))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, _) => changed.Writer.TryWrite(true);
        watcher.Created += (_, _) => changed.Writer.TryWrite(true);
        watcher.EnableRaisingEvents = true;

        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (Fail2BanOutput.FindAction(ActionLines(), "ban", address) is { } line)
            {
                return line;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            wake.CancelAfter(TimeSpan.FromSeconds(1));
            try
            {
                await changed.Reader.ReadAsync(wake.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"fail2ban did not ban {address} within {timeout}. Action file:\n{string.Join('\n', ActionLines())}\nServer:\n{Output}");
            }
            catch (OperationCanceledException)
            {
                // The once-a-second re-read.
            }
        }
    }

    /// <summary>SIGTERM by PID (fail2ban stops its jail, unbanning through the action), bounded; killed if it does not exit.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_server.HasExited)
            {
                _server.Terminate();
            }

            await _server.WaitForExitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            await _server.DisposeAsync();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean: it is under the temp directory.
            }
        }
    }

    internal static string Seconds(TimeSpan span) => ((long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
