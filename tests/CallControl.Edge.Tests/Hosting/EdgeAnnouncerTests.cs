using System.Threading.Channels;
using CallControl.Edge.Hosting;
using CallControl.Grains;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The edge's announcements to the edge directory (<see cref="EdgeAnnouncer"/>), on a fake clock: at start, every
/// period, again after a failure, and a withdrawal at a graceful stop; and the setting's validation.
/// </summary>
public sealed class EdgeAnnouncerTests
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private static readonly EdgeInfo Info = new("edge-a", "127.0.0.1", 5060, 5060, 5061);

    [Fact]
    public async Task The_edge_announces_itself_at_start_and_every_period_and_withdraws_at_its_stop()
    {
        var time = new FakeTimeProvider();
        var directory = new RecordingDirectory();
        using var announcer = new EdgeAnnouncer(() => directory, () => Info, Period, time, NullLogger.Instance);

        await announcer.StartAsync(CancellationToken.None);
        Assert.Equal(("announce", "edge-a", Period), await directory.NextAsync());
        time.Advance(Period);
        Assert.Equal(("announce", "edge-a", Period), await directory.NextAsync());
        await announcer.StopAsync(CancellationToken.None);

        Assert.Equal(("withdraw", "edge-a", TimeSpan.Zero), await directory.NextAsync());
        time.Advance(Period * 3);
        Assert.False(directory.TryTake(out var late), $"nothing after the withdrawal, got {late}");
    }

    [Fact]
    public async Task An_announcement_that_fails_is_made_again_the_next_period()
    {
        var time = new FakeTimeProvider();
        var directory = new RecordingDirectory { FailuresLeft = 1 };
        using var announcer = new EdgeAnnouncer(() => directory, () => Info, Period, time, NullLogger.Instance);

        await announcer.StartAsync(CancellationToken.None);
        Assert.Equal(("announce-failed", "edge-a", Period), await directory.NextAsync());
        time.Advance(Period);

        Assert.Equal(("announce", "edge-a", Period), await directory.NextAsync());
        await announcer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public void The_default_interval_is_5_s_and_valid()
    {
        var options = new EdgeOptions();
        Assert.Equal(TimeSpan.FromSeconds(5), options.AnnounceInterval);
        Assert.True(new EdgeOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.500")]
    [InlineData("00:01:01")]
    public void An_interval_out_of_range_fails_with_its_key(string value)
    {
        var options = new EdgeOptions { AnnounceInterval = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) };

        var result = new EdgeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, failure => failure.StartsWith("CallControl:Edge:AnnounceInterval ", StringComparison.Ordinal));
    }

    /// <summary>The directory as the announcer sees it: records each call, in order; fails the first <see cref="FailuresLeft"/> announcements.</summary>
    private sealed class RecordingDirectory : IEdgeDirectory
    {
        private readonly Channel<(string, string, TimeSpan)> _calls = Channel.CreateUnbounded<(string, string, TimeSpan)>();

        public int FailuresLeft { get; set; }

        public Task<(string Call, string EdgeId, TimeSpan Period)> NextAsync() => _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public bool TryTake(out (string, string, TimeSpan) call) => _calls.Reader.TryRead(out call);

        public Task Announce(EdgeInfo edge, TimeSpan period)
        {
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                _calls.Writer.TryWrite(("announce-failed", edge.EdgeId, period));
                return Task.FromException(new TimeoutException("no silo answered"));
            }

            _calls.Writer.TryWrite(("announce", edge.EdgeId, period));
            return Task.CompletedTask;
        }

        public Task Withdraw(string edgeId)
        {
            _calls.Writer.TryWrite(("withdraw", edgeId, TimeSpan.Zero));
            return Task.CompletedTask;
        }

        public Task Unreachable(string edgeId, IEdgeObserver observer) => throw new NotSupportedException("grains report this, not edges");

        public Task<EdgeInfo[]> LiveEdges() => Task.FromResult(Array.Empty<EdgeInfo>());
    }
}
