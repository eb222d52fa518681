using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Media.Tests;

/// <summary>The rtpengines' metrics (docs/media.md, "Metrics"): ng commands by command and result with their durations, and the health gauges.</summary>
public sealed class RtpengineMetricsTests : IDisposable
{
    private static readonly NgAddress A = new("10.0.0.1", 2223);
    private static readonly NgAddress B = new("10.0.0.2", 2223);
    private static readonly NgAddress C = new("10.0.0.3", 2223);
    private readonly MediaMeterRecorder _meters = new();
    private readonly FakeTimeProvider _time = new();
    private readonly FakeNgClient _engines = new();
    private readonly RtpenginePool _pool;
    private readonly RtpengineMetrics _metrics;

    public RtpengineMetricsTests()
    {
        _pool = new RtpenginePool([(A, 1), (B, 1), (C, 1)], _time);
        _metrics = new RtpengineMetrics(_meters.MeterFactory, _pool);
    }

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task Each_command_is_counted_once_by_command_and_result()
    {
        _engines.Answer(A);
        _engines.Silence(B);
        _engines.Refuse(C, "Unknown call-id");
        var client = new MeteredNgClient(_engines, _metrics, _time);

        await client.PingAsync(A);
        await Assert.ThrowsAsync<NgTimeoutException>(() => client.PingAsync(B));
        await Assert.ThrowsAsync<NgErrorException>(() => client.QueryAsync(C, "call-1"));

        var counted = _meters.Of("callcontrol.media.ng.commands");
        Assert.Equal([("ping", "ok"), ("ping", "timeout"), ("query", "error")], counted.Select(m => (m.Tag("command"), m.Tag("result"))));
        Assert.All(counted, m => Assert.Equal(1, m.Value));
        Assert.Equal(3, _meters.Of("callcontrol.media.ng.duration").Count);
    }

    [Fact]
    public async Task The_duration_is_the_commands_time_on_the_clock_retransmissions_included()
    {
        _engines.Answer(A);
        var client = new MeteredNgClient(new Slow(_engines, _time, TimeSpan.FromMilliseconds(7)), _metrics, _time);

        await client.PingAsync(A);

        var duration = Assert.Single(_meters.Of("callcontrol.media.ng.duration"));
        Assert.Equal((0.007, "ping", "ok"), (duration.Value, duration.Tag("command"), duration.Tag("result")));
    }

    [Fact]
    public async Task A_cancelled_command_is_not_counted()
    {
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        var client = new MeteredNgClient(new Cancelled(), _metrics, _time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PingAsync(A, cancellationToken: stop.Token));

        Assert.Empty(_meters.Of("callcontrol.media.ng.commands"));
    }

    [Fact]
    public void Each_probed_rtpengine_is_up_or_down_and_reports_its_load_only_while_up()
    {
        Assert.Empty(_meters.Observe("callcontrol.media.rtpengine.up")); // nothing probed yet: nothing to say

        _pool.ReportAnswered(A, Load(7));
        _pool.ReportUnanswered(B);
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1:2223"] = 1, ["10.0.0.2:2223"] = 0 }, Gauge("callcontrol.media.rtpengine.up"));
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1:2223"] = 7 }, Gauge("callcontrol.media.rtpengine.sessions"));

        _pool.ReportAnswered(B, Load(3));
        _pool.ReportUnanswered(A);
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1:2223"] = 0, ["10.0.0.2:2223"] = 1 }, Gauge("callcontrol.media.rtpengine.up"));
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.2:2223"] = 3 }, Gauge("callcontrol.media.rtpengine.sessions")); // A's 7 is stale
    }

    [Fact]
    public async Task The_health_monitors_probes_go_through_the_metered_client_and_set_the_gauges()
    {
        _engines.Answer(A, sessions: 4);
        _engines.Silence(B);
        _engines.Silence(C);
        var options = Microsoft.Extensions.Options.Options.Create(new MediaOptions { Mode = MediaMode.Anchor });
        using var monitor = new RtpengineHealthMonitor(_pool, new MeteredNgClient(_engines, _metrics, _time), options, _time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RtpengineHealthMonitor>.Instance);

        await monitor.ProbeAllAsync(default);

        Assert.Equal(
            [("ping", "ok"), ("ping", "timeout"), ("statistics", "ok")],
            _meters.Of("callcontrol.media.ng.commands").Select(m => (m.Tag("command"), m.Tag("result"))).Order().Distinct());
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1:2223"] = 1, ["10.0.0.2:2223"] = 0, ["10.0.0.3:2223"] = 0 }, Gauge("callcontrol.media.rtpengine.up"));
        Assert.Equal(new Dictionary<string, double> { ["10.0.0.1:2223"] = 4 }, Gauge("callcontrol.media.rtpengine.sessions"));
    }

    private Dictionary<string, double> Gauge(string instrument) => _meters.Observe(instrument).ToDictionary(m => m.Tag("engine")!, m => m.Value);

    private static EngineStatistics Load(long sessions) => new(sessions, sessions, 0, new BencodeDictionary());

    /// <summary>Takes <paramref name="takes"/> on the fake clock before its inner client answers.</summary>
    private sealed class Slow(INgClient inner, FakeTimeProvider time, TimeSpan takes) : INgClient
    {
        public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
        {
            time.Advance(takes);
            return inner.SendAsync(address, command, arguments, retry, cancellationToken);
        }
    }

    private sealed class Cancelled : INgClient
    {
        public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
            => Task.FromCanceled<BencodeDictionary>(cancellationToken);
    }
}
