using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CallControl.Edge.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// What the security tests observe the border through: a host's meter factory with a listener for its own meters only
/// (tests run in parallel), the process log, and a security log file in a folder of its own.
/// </summary>
internal sealed class SecurityTestKit : IDisposable
{
    private readonly ServiceProvider _host = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, string Tag, long Value)> _measurements = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "callcontrol-security-tests-" + Guid.NewGuid().ToString("N"));

    public SecurityTestKit()
    {
        var factory = MeterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == SecurityMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measurements.Enqueue((instrument.Name, string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}")), value)));
        _listener.Start();
    }

    public IMeterFactory MeterFactory => _host.GetRequiredService<IMeterFactory>();

    public RecordingLogger Logger { get; } = new();

    /// <summary>Where the security log file goes (created by the log itself, with its folder).</summary>
    public string LogPath => Path.Combine(_folder, "security.log");

    /// <summary>The security log file's lines, read as fail2ban reads it: while the edge still has it open.</summary>
    public string[] LogLines()
    {
        if (!File.Exists(LogPath))
        {
            return [];
        }

        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The security log's lines without their time: <c>security event=… src=…</c>.</summary>
    public string[] Events() => [.. LogLines().Select(line => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..])];

    /// <summary>The sum of a counter's measurements with this tag (<c>reason=flood</c>, <c>event=acl</c>).</summary>
    public long Counted(string instrument, string tag)
        => _measurements.Where(m => m.Instrument == instrument && m.Tag == tag).Sum(m => m.Value);

    /// <summary>Messages and connections dropped for <paramref name="reason"/>.</summary>
    public long Dropped(string reason) => Counted("callcontrol.security.dropped", $"reason={reason}");

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>Every line logged, with its level; a factory of itself for whoever asks for loggers.</summary>
internal sealed class RecordingLogger : ILogger, ILoggerFactory
{
    private readonly ConcurrentQueue<(LogLevel Level, string Line)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Line)> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _entries.Enqueue((logLevel, formatter(state, exception)));

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
