using System.Diagnostics.Metrics;
using CallControl.Edge.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Edge.Tests;

/// <summary>
/// Admission control on a fake clock: the fastest grain call of each interval against the target (the next interval
/// refuses when it was over), never latched shut by an interval without completions; the shortest receive-queue wait
/// of a new INVITE in each interval against its target, alike; and the in-flight limit.
/// One class, so its tests run one after the other and the meter listener counts only their refusals.
/// </summary>
public sealed class AdmissionControlTests : IDisposable
{
    private static readonly TimeSpan Target = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan QueueTarget = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingLogger _log = new();
    private readonly AdmissionControl _admission;
    private readonly DateTimeOffset _start;
    private readonly ServiceProvider _host = new ServiceCollection().AddMetrics().BuildServiceProvider(); // the meter factory a host has

    public AdmissionControlTests()
    {
        _start = _time.GetUtcNow();
        _admission = new AdmissionControl(maxInFlight: 3, Target, QueueTarget, Interval, minCompletions: 1, _time, _log, new EdgeMetrics(_host.GetRequiredService<IMeterFactory>()));
    }

    public void Dispose()
    {
        _admission.Dispose();
        _host.Dispose();
    }

    [Fact]
    public void Slow_calls_fewer_than_the_minimum_in_an_interval_are_no_queue_and_refuse_nothing()
    {
        using var admission = new AdmissionControl(maxInFlight: 3, Target, QueueTarget, Interval, minCompletions: 3, _time, _log);
        for (var i = 0; i < 2; i++)
        {
            var started = admission.CallStarted(); // a first activation, a trunk that does not answer: not a queue
            _time.Advance(TimeSpan.FromMilliseconds(90));
            admission.CallEnded(started);
        }

        _time.Advance(Interval);
        Assert.False(admission.LatencyAboveTarget);
        Assert.True(admission.TryAdmit());

        for (var i = 0; i < 3; i++)
        {
            var started = admission.CallStarted(); // as many as the minimum, all slow: a standing queue
            _time.Advance(TimeSpan.FromMilliseconds(60));
            admission.CallEnded(started);
        }

        _time.Advance(Interval - TimeSpan.FromMilliseconds(180 - 20)); // to the end of the interval they fell in
        Assert.True(admission.LatencyAboveTarget);
        Assert.False(admission.TryAdmit());
    }

    [Fact]
    public void Refuses_for_the_next_interval_when_the_fastest_call_of_an_interval_was_over_the_target()
    {
        Call(TimeSpan.FromMilliseconds(60));
        Call(TimeSpan.FromMilliseconds(80));
        Assert.True(_admission.TryAdmit()); // the interval is not over: one slow call may be a burst

        AdvanceToNextInterval();

        Assert.True(_admission.LatencyAboveTarget);
        Assert.False(_admission.TryAdmit());
    }

    [Fact]
    public void One_call_under_the_target_in_the_interval_keeps_admitting()
    {
        Call(TimeSpan.FromMilliseconds(80));
        Call(TimeSpan.FromMilliseconds(10));
        Call(TimeSpan.FromMilliseconds(90)); // 180 ms in all: one interval

        AdvanceToNextInterval();

        Assert.False(_admission.LatencyAboveTarget);
        Assert.True(_admission.TryAdmit());
    }

    [Fact]
    public void Recovers_after_an_interval_whose_fastest_call_was_under_the_target()
    {
        Call(TimeSpan.FromMilliseconds(70));
        AdvanceToNextInterval();
        Assert.False(_admission.TryAdmit());

        Call(TimeSpan.FromMilliseconds(30));
        Call(TimeSpan.FromMilliseconds(150));
        AdvanceToNextInterval();

        Assert.True(_admission.TryAdmit());
    }

    [Fact]
    public void An_interval_without_completions_is_not_overloaded_so_refusing_never_latches()
    {
        Call(TimeSpan.FromMilliseconds(70));
        AdvanceToNextInterval();
        Assert.False(_admission.TryAdmit());

        var stuck = _admission.CallStarted(); // one call that does not come back within the interval
        AdvanceToNextInterval();

        Assert.Equal(1, _admission.InFlight);
        Assert.True(_admission.TryAdmit());
        _admission.CallEnded(stuck);
    }

    [Fact]
    public void Refuses_while_the_in_flight_limit_is_reached_and_admits_once_a_call_ends()
    {
        var first = _admission.CallStarted();
        _admission.CallStarted();
        Assert.True(_admission.TryAdmit()); // 2 of 3

        var third = _admission.CallStarted();
        Assert.Equal(3, _admission.InFlight);
        Assert.False(_admission.TryAdmit());
        Assert.False(_admission.LatencyAboveTarget); // the backlog alone refuses, no interval needed

        _time.Advance(TimeSpan.FromMilliseconds(1));
        _admission.CallEnded(third);
        Assert.True(_admission.TryAdmit());
        _admission.CallEnded(first);
        Assert.Equal(1, _admission.InFlight);
    }

    [Fact]
    public void Logs_when_refusing_begins_and_when_it_ends_not_per_refused_call()
    {
        for (var i = 0; i < 4; i++)
        {
            Call(TimeSpan.FromMilliseconds(70)); // slow intervals one after the other: one episode
            AdvanceToNextInterval();
            Assert.False(_admission.TryAdmit());
            Assert.False(_admission.TryAdmit());
        }

        AdvanceToNextInterval(); // admitting again, but not yet for a quiet second
        Assert.True(_admission.TryAdmit());
        Assert.Equal([LogLevel.Warning], _log.Levels);
        Assert.Contains("over the target 00:00:00.0500000", _log.Lines[0], StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal([LogLevel.Warning, LogLevel.Information], _log.Levels);
        Assert.Contains("8 refused", _log.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_at_the_in_flight_limit_is_logged_at_the_end_of_its_interval()
    {
        var calls = new[] { _admission.CallStarted(), _admission.CallStarted(), _admission.CallStarted() };
        Assert.False(_admission.TryAdmit());
        Assert.Empty(_log.Lines);

        AdvanceToNextInterval();

        Assert.Contains("1 refused in the last 00:00:00.2000000 at 3 grain calls in flight (now 3)", Assert.Single(_log.Lines), StringComparison.Ordinal);
        Array.ForEach(calls, _admission.CallEnded);
    }

    [Fact]
    public void Each_refusal_is_counted_with_its_reason_and_signal()
    {
        var counted = new List<(long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "callcontrol.calls.refused")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            counted.Add((value, string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();

        Call(TimeSpan.FromMilliseconds(70));
        AdvanceToNextInterval();
        Assert.False(_admission.TryAdmit());
        AdvanceToNextInterval();
        var calls = new[] { _admission.CallStarted(), _admission.CallStarted(), _admission.CallStarted() };
        Assert.False(_admission.TryAdmit());
        Assert.False(_admission.TryAdmit());
        Array.ForEach(calls, _admission.CallEnded);
        Assert.True(_admission.TryAdmit());
        AdvanceToNextInterval();
        Assert.True(_admission.TryAdmit(TimeSpan.FromMilliseconds(25)));
        AdvanceToNextInterval();
        Assert.False(_admission.TryAdmit());

        Assert.Equal(
            [(1, "reason=overload,signal=latency,method=INVITE"), (1, "reason=overload,signal=in_flight,method=INVITE"), (1, "reason=overload,signal=in_flight,method=INVITE"), (1, "reason=overload,signal=queue,method=INVITE")],
            counted);
    }

    [Fact]
    public void Refuses_for_the_next_interval_when_the_shortest_receive_queue_wait_of_an_interval_was_over_the_target()
    {
        Assert.True(_admission.TryAdmit(TimeSpan.FromMilliseconds(30))); // the INVITE that waited is taken: one may be a burst
        Assert.True(_admission.TryAdmit(TimeSpan.FromMilliseconds(45)));

        AdvanceToNextInterval();

        Assert.True(_admission.QueueAboveTarget);
        Assert.False(_admission.LatencyAboveTarget);
        Assert.False(_admission.TryAdmit(TimeSpan.FromMilliseconds(2)));
        Assert.Contains("the shortest wait of a new INVITE in the receive queue over the last 00:00:00.2000000 was 00:00:00.0300000, over the target 00:00:00.0200000", Assert.Single(_log.Lines), StringComparison.Ordinal);

        AdvanceToNextInterval(); // the refused INVITE waited 2 ms: refusing drained the queue

        Assert.False(_admission.QueueAboveTarget);
        Assert.True(_admission.TryAdmit(TimeSpan.FromMilliseconds(2)));
    }

    [Fact]
    public void One_new_INVITE_under_the_queue_target_in_the_interval_keeps_admitting()
    {
        _admission.TryAdmit(TimeSpan.FromMilliseconds(80));
        _admission.TryAdmit(TimeSpan.FromMilliseconds(19));
        _admission.TryAdmit(TimeSpan.FromMilliseconds(90));

        AdvanceToNextInterval();

        Assert.False(_admission.QueueAboveTarget);
        Assert.True(_admission.TryAdmit(TimeSpan.FromMilliseconds(90)));
    }

    [Fact]
    public void Fewer_new_INVITEs_than_the_minimum_say_nothing_about_the_queue()
    {
        using var admission = new AdmissionControl(maxInFlight: 3, Target, QueueTarget, Interval, minCompletions: 3, _time, _log);
        admission.TryAdmit(TimeSpan.FromMilliseconds(60)); // two INVITEs behind a garbage collection
        admission.TryAdmit(TimeSpan.FromMilliseconds(60));

        _time.Advance(Interval);

        Assert.False(admission.QueueAboveTarget);
        Assert.True(admission.TryAdmit());
    }

    // A grain call that takes this long, begun and ended within the current interval.
    private void Call(TimeSpan latency)
    {
        var started = _admission.CallStarted();
        _time.Advance(latency);
        _admission.CallEnded(started);
    }

    // Closes the interval: the timer fires at each multiple of Interval since the admission control was made.
    private void AdvanceToNextInterval()
    {
        var elapsed = _time.GetUtcNow() - _start;
        var next = TimeSpan.FromTicks((elapsed.Ticks / Interval.Ticks + 1) * Interval.Ticks);
        _time.Advance(next - elapsed);
    }

    private sealed class RecordingLogger : ILogger<AdmissionControl>
    {
        public List<LogLevel> Levels { get; } = [];

        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Levels.Add(logLevel);
            Lines.Add(formatter(state, exception));
        }
    }
}
