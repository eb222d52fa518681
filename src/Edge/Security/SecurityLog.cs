using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Security;

/// <summary>
/// Where security events go: a Warning in the process log, a line in the security log file when one is configured
/// (<see cref="SecurityOptions.LogPath"/>, for fail2ban), and <see cref="SecurityMetrics"/>, all in the format of
/// <see cref="SecurityLogLine"/>. Repeats a flood would multiply are kept out: <c>acl</c> is written once per source
/// every <see cref="RepeatInterval"/>, <c>flood</c> once per flood (the guard's decision); the dropped messages are counted
/// in metrics instead.
/// </summary>
public sealed partial class SecurityLog : IDisposable
{
    /// <summary>How long an <c>acl</c> line for a source silences the next ones.</summary>
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromSeconds(10);

    private const int MaxRemembered = 10_000;
    private readonly ILogger _logger;
    private readonly SecurityMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly StreamWriter? _file;
    private readonly ConcurrentDictionary<IPAddress, long> _aclLogged = new();

    /// <summary>Opens the file (appending; created with its folder if missing) when <paramref name="path"/> is set.</summary>
    public SecurityLog(string? path, ILogger logger, SecurityMetrics metrics, TimeProvider time)
    {
        _logger = logger;
        _metrics = metrics;
        _time = time;
        if (!string.IsNullOrEmpty(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            _file = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        }
    }

    /// <summary>A packet or connection from a network <c>DeniedNetworks</c> holds (or <c>AllowedNetworks</c> does not).</summary>
    public void Acl(IPEndPoint source, string transport)
    {
        var now = _time.GetTimestamp();
        if (_aclLogged.TryGetValue(source.Address, out var last) && _time.GetElapsedTime(last, now) < RepeatInterval)
        {
            return;
        }

        if (_aclLogged.Count >= MaxRemembered)
        {
            _aclLogged.Clear(); // a flood from many denied addresses: forget, and write a little more
        }

        _aclLogged[source.Address] = now;
        Write("acl", source, [("transport", transport.ToLowerInvariant())]);
    }

    /// <summary>A request whose User-Agent is a scanner's.</summary>
    public void Scanner(IPEndPoint source, string transport, string method, string userAgent)
        => Write("scanner", source, [("transport", transport.ToLowerInvariant()), ("method", method), ("ua", userAgent)]);

    /// <summary>A source went over a rate limit (the first drop of a flood).</summary>
    public void Flood(IPEndPoint source, string transport, string kind)
        => Write("flood", source, [("transport", transport.ToLowerInvariant()), ("kind", kind)]);

    /// <summary>A failed digest attempt: a wrong password or an unknown user.</summary>
    public void AuthFailure(IPEndPoint source, string transport, string? user, string method)
        => Write("auth-failure", source, [("transport", transport.ToLowerInvariant()), ("user", user), ("method", method)]);

    /// <summary>This edge banned a source.</summary>
    public void Banned(IPEndPoint source, string reason, TimeSpan length)
        => Write("banned", source, [("reason", reason), ("for", ((long)length.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    /// <summary>A ban this edge enforced ended or was lifted.</summary>
    public void Unbanned(IPAddress source, string why)
        => Write("unbanned", new IPEndPoint(source, 0), [("why", why)]);

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();

    private void Write(string securityEvent, IPEndPoint source, (string Key, string? Value)[] details)
    {
        _metrics.Event(securityEvent);
        var body = SecurityLogLine.Body(securityEvent, source, details);
        Log.Event(_logger, body);
        if (_file is not null)
        {
            var line = SecurityLogLine.WithTime(_time.GetUtcNow(), body);
            lock (_file)
            {
                try
                {
                    _file.WriteLine(line);
                }
                catch (IOException e)
                {
                    Log.FileFailed(_logger, e.Message); // the process log has the line: never let a full disk stop the edge
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "{Line}")]
        public static partial void Event(ILogger logger, string line);

        [LoggerMessage(EventId = 4302, Level = LogLevel.Error, Message = "The security log file could not be written: {Reason}")]
        public static partial void FileFailed(ILogger logger, string reason);
    }
}
