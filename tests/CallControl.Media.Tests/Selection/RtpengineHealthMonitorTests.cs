using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Media.Tests.Selection;

public sealed class RtpengineHealthMonitorTests
{
    private static readonly NgAddress A = new("10.0.0.1", 2223);
    private static readonly NgAddress B = new("10.0.0.2", 2223);
    private readonly FakeTimeProvider _time = new();
    private readonly DateTimeOffset _start;
    private readonly FakeNgClient _client = new();
    private readonly RtpenginePool _pool;
    private readonly MediaOptions _options = new() { Mode = MediaMode.Anchor, HealthInterval = TimeSpan.FromSeconds(2) };

    public RtpengineHealthMonitorTests()
    {
        _start = _time.GetUtcNow();
        _pool = new RtpenginePool([(A, 1), (B, 1)], _time, new Random(19));
    }

    private RtpengineHealthMonitor Monitor() => new(_pool, _client, Options.Create(_options), _time, NullLogger<RtpengineHealthMonitor>.Instance);

    private RtpengineHealth Health(NgAddress address) => _pool.Snapshot().Single(e => e.Address == address).Health;

    [Fact]
    public async Task A_probe_marks_answering_engines_up_with_their_load_and_silent_ones_down()
    {
        _client.Answer(A, sessions: 7);
        _client.Silence(B);
        await Monitor().ProbeAllAsync(default);
        Assert.Equal((RtpengineHealth.Up, 7L), (Health(A), _pool.Snapshot()[0].Sessions!.Value));
        Assert.Equal(RtpengineHealth.Down, Health(B));
        Assert.DoesNotContain((B, "statistics"), _client.Sent); // no load asked of a silent engine
    }

    [Fact]
    public async Task On_the_clock_an_engine_goes_down_when_silent_and_comes_back_when_it_answers()
    {
        _client.Answer(A);
        _client.Answer(B);
        var up = HealthAsync(B, RtpengineHealth.Up);
        using var monitor = Monitor();
        await monitor.StartAsync(default);
        await up; // the first round, at start, before any time passes
        Assert.Equal(0, _time.GetUtcNow().Subtract(_start).Ticks);

        _client.Silence(B);
        await AdvanceUntilAsync(HealthAsync(B, RtpengineHealth.Down));
        Assert.Equal(A, _pool.Choose());
        Assert.Equal(RtpengineHealth.Up, Health(A));

        _client.Answer(B);
        await AdvanceUntilAsync(HealthAsync(B, RtpengineHealth.Up));
        Assert.True(_pool.Snapshot()[1].Since > _start);
        await monitor.StopAsync(default);
    }

    [Fact]
    public async Task Nothing_is_probed_in_passthrough_mode()
    {
        _options.Mode = MediaMode.Passthrough;
        using var monitor = Monitor();
        await monitor.StartAsync(default);
        await (monitor.ExecuteTask ?? Task.CompletedTask);
        Assert.Empty(_client.Sent);
    }

    private Task HealthAsync(NgAddress address, RtpengineHealth health)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pool.HealthChanged += s =>
        {
            if (s.Address == address && s.Health == health)
            {
                changed.TrySetResult();
            }
        };
        return changed.Task;
    }

    // The next round starts when the monitor's delay on the fake clock elapses. An advance made before the monitor has
    // started that delay would be lost, so the clock moves one interval at a time until the change is seen (bounded).
    private async Task AdvanceUntilAsync(Task change)
    {
        for (var step = 0; step < 100 && !change.IsCompleted; step++)
        {
            _time.Advance(_options.HealthInterval);
            await Task.WhenAny(change, Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System));
        }

        await change.WaitAsync(TimeSpan.FromSeconds(1));
    }
}
