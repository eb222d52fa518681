using System.Diagnostics;
using System.Diagnostics.Metrics;
using CallControl.Media.Selection;

namespace CallControl.Media;

/// <summary>
/// The rtpengines' side of the media metrics (meter <c>CallControl.Media</c>, from the host's
/// <see cref="IMeterFactory"/>; docs/media.md, "Metrics"): every ng command by command and result, with its duration
/// (counted by <see cref="Ng.MeteredNgClient"/>), and each configured rtpengine's health and own sessions as the pool
/// last saw them. One per process (a singleton of <c>AddCallControlMedia</c>).
/// </summary>
/// <remarks>
/// Every silo probes every rtpengine itself, so each silo exports the same rtpengine's gauges: aggregate them by
/// <c>engine</c> with max or min, never sum.
/// </remarks>
public sealed class RtpengineMetrics
{
    /// <summary>The meter's name (the anchored calls' own instruments, in src/Grains, share it).</summary>
    public const string MeterName = "CallControl.Media";

    /// <summary>Result tag: rtpengine answered (ok, pong, or a reply the typed command then found lacking).</summary>
    public const string Ok = "ok";

    /// <summary>Result tag: <c>result: error</c>, a reply that is not ng, or a name that does not resolve.</summary>
    public const string Error = "error";

    /// <summary>Result tag: no reply after every attempt.</summary>
    public const string Timeout = "timeout";

    private readonly Counter<long> _commands;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments in the host's meter; the gauges read <paramref name="pool"/> at each collection.</summary>
    public RtpengineMetrics(IMeterFactory meters, RtpenginePool pool)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(pool);
        var meter = meters.Create(MeterName);
        _commands = meter.CreateCounter<long>("callcontrol.media.ng.commands", description: "ng commands sent to rtpengines, by command and result (ok, error, timeout)");

        // A healthy rtpengine answers in well under a millisecond; a timeout costs NgTimeout x NgAttempts (3 s by default).
        _duration = meter.CreateHistogram<double>(
            "callcontrol.media.ng.duration", unit: "s", description: "ng command duration, retransmissions included, by command and result",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3.5, 5] });
        meter.CreateObservableGauge<int>("callcontrol.media.rtpengine.up", () => Health(pool), description: "Each configured rtpengine: 1 when its last health ping was answered, 0 when not (absent before the first)");
        meter.CreateObservableGauge<long>("callcontrol.media.rtpengine.sessions", () => Sessions(pool), description: "Each rtpengine's own sessions at its last statistics (absent while down)");
    }

    /// <summary>Counts one ng command and its duration; <paramref name="result"/> is <see cref="Ok"/>, <see cref="Error"/> or <see cref="Timeout"/>.</summary>
    public void Command(string command, string result, TimeSpan elapsed)
    {
        var tags = new TagList { { "command", command }, { "result", result } };
        _commands.Add(1, tags);
        _duration.Record(elapsed.TotalSeconds, tags);
    }

    // Not yet probed (Unknown) says nothing: a fresh silo, or passthrough mode where nothing is probed, must not look
    // like an rtpengine down.
    private static IEnumerable<Measurement<int>> Health(RtpenginePool pool) =>
        pool.Snapshot().Where(e => e.Health != RtpengineHealth.Unknown)
            .Select(e => new Measurement<int>(e.Health == RtpengineHealth.Up ? 1 : 0, new KeyValuePair<string, object?>("engine", e.Address.ToString())));

    // A down rtpengine's last load is stale: left out rather than shown as current.
    private static IEnumerable<Measurement<long>> Sessions(RtpenginePool pool) =>
        pool.Snapshot().Where(e => e.Health == RtpengineHealth.Up && e.Sessions is not null)
            .Select(e => new Measurement<long>(e.Sessions!.Value, new KeyValuePair<string, object?>("engine", e.Address.ToString())));
}
