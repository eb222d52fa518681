using System.Text;
using CallControl.Calls;
using CallControl.Edge.Hosting;
using CallControl.Grains.Dialogs;
using CallControl.Media;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Grains.Tests;

/// <summary>The anchored calls' media metrics (docs/media.md, "Metrics"): the end's counts, as in the CDR, and re-anchors.</summary>
public sealed class CallMediaMetricsTests : IDisposable
{
    // rtpengine 10.5's delete reply after 20 RTP packets from a1 (the caller) and 19 from b2 (the callee), with an SSRC
    // entry whose RTCP gave a MOS.
    private const string DeleteReply = RecordedReplies.Delete;

    private readonly MediaMeterRecorder _meters = new();
    private readonly CallMediaMetrics _metrics;

    public CallMediaMetricsTests() => _metrics = new CallMediaMetrics(_meters.MeterFactory);

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task An_anchored_calls_delete_counts_what_its_cdr_says_each_way_with_its_rtcp_quality()
    {
        var media = Media(new DeletingNg(DeleteReply));

        var result = await media.RunAsync("call-1", new DialogState { MediaEngine = "127.0.0.1:2223" }, new MediaRequest(MediaKind.Delete, "a1", "b2", null, null));

        var cdr = result.Stats!;
        Assert.Equal((20L, 19L), (cdr.FromCaller.Packets, cdr.FromCallee.Packets));
        Assert.Equal([1.0], Values("callcontrol.media.calls"));
        Assert.Equal([("caller_to_callee", 20.0), ("callee_to_caller", 19.0)], ByDirection("callcontrol.media.rtp.packets"));
        Assert.Equal([("caller_to_callee", 3440.0), ("callee_to_caller", 3268.0)], ByDirection("callcontrol.media.rtp.bytes"));
        Assert.Equal([(double)cdr.PacketsLost!], Values("callcontrol.media.rtp.packets_lost"));
        Assert.Equal([(double)cdr.Jitter!], Values("callcontrol.media.jitter"));
        Assert.Equal([cdr.Mos!.Value], Values("callcontrol.media.mos"));
        Assert.Equal((3L, 3L, 4.1), (cdr.PacketsLost, cdr.Jitter, cdr.Mos));
    }

    [Fact]
    public void Without_rtcp_quality_only_the_counts_are_recorded_and_no_zero_samples()
    {
        _metrics.Ended(new CallMediaRecord { FromCaller = new(50, 8600), FromCallee = new(0, 0), Engine = "127.0.0.1:2223" });

        Assert.Equal([("caller_to_callee", 50.0), ("callee_to_caller", 0.0)], ByDirection("callcontrol.media.rtp.packets"));
        Assert.Empty(_meters.Of("callcontrol.media.rtp.packets_lost"));
        Assert.Empty(_meters.Of("callcontrol.media.jitter"));
        Assert.Empty(_meters.Of("callcontrol.media.mos"));
    }

    [Fact]
    public async Task A_failed_delete_counts_nothing()
    {
        var media = Media(new DeletingNg(reply: null));

        var result = await media.RunAsync("call-2", new DialogState { MediaEngine = "127.0.0.1:2223" }, new MediaRequest(MediaKind.Delete, "a1", "b2", null, null));

        Assert.False(result.Ok);
        Assert.Empty(_meters.Of("callcontrol.media.calls"));
        Assert.Empty(_meters.Of("callcontrol.media.rtp.packets"));
    }

    [Fact]
    public void Reanchors_are_counted_by_outcome_in_a_meter_every_process_exports()
    {
        _metrics.Reanchored(ReanchorOutcome.Succeeded);
        _metrics.Reanchored(ReanchorOutcome.Failed);
        _metrics.Reanchored(ReanchorOutcome.NoRtpengine);

        var counted = _meters.Of("callcontrol.media.reanchors");
        Assert.Equal(["succeeded", "failed", "no_rtpengine"], counted.Select(m => m.Tag("outcome")));
        Assert.All(counted, m => Assert.Equal(1, m.Value));
        Assert.Contains(RtpengineMetrics.MeterName, Observability.Meters); // what the Prometheus exporter takes
        Assert.Throws<ArgumentOutOfRangeException>(() => _metrics.Reanchored((ReanchorOutcome)7));
    }

    private CallMedia Media(INgClient ng) => new(ng, new RtpenginePool([], TimeProvider.System), new Media.MemoryMediaSessionIndex(), _metrics, NullLogger.Instance);

    private List<double> Values(string instrument) => _meters.Of(instrument).Select(m => m.Value).ToList();

    private List<(string?, double)> ByDirection(string instrument) => _meters.Of(instrument).Select(m => (m.Tag("direction"), m.Value)).ToList();

    /// <summary>An rtpengine that answers a delete with <paramref name="reply"/>, or does not answer at all (null).</summary>
    private sealed class DeletingNg(string? reply) : INgClient
    {
        public Task<BencodeDictionary> SendAsync(NgAddress address, string command, BencodeDictionary? arguments, NgRetry? retry, CancellationToken cancellationToken)
        {
            Assert.Equal("delete", command);
            return reply is null
                ? Task.FromException<BencodeDictionary>(new NgTimeoutException(command, address, 3, TimeSpan.FromSeconds(1)))
                : Task.FromResult(BencodeReader.Decode(Encoding.ASCII.GetBytes(reply)).AsDictionary()!);
        }
    }
}
