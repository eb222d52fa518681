using System.Text;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;

namespace CallControl.Media.Tests.Ng;

public sealed class CallStatisticsTests
{
    private const string DeleteReply = RecordedReplies.Delete;

    private static CallStatistics Parse() => CallStatistics.Parse(BencodeReader.Decode(Encoding.ASCII.GetBytes(DeleteReply)).AsDictionary()!);

    [Fact]
    public void Streams_are_read_per_tag_with_their_ports_peers_and_counts()
    {
        var stats = Parse();
        Assert.Equal(["a1", "b2"], stats.Tags);
        Assert.Equal(3, stats.Streams.Count);
        var callerRtp = stats.Streams[0];
        Assert.Equal(("a1", 1, "audio", false, "127.0.0.1", 27120, "127.0.0.1", 34463, (uint?)8738), (callerRtp.Tag, callerRtp.MediaIndex, callerRtp.MediaType, callerRtp.IsRtcp, callerRtp.LocalAddress, callerRtp.LocalPort, callerRtp.PeerAddress, callerRtp.PeerPort, callerRtp.Ssrc));
        Assert.True(stats.Streams[1].IsRtcp);
        Assert.Null(stats.Streams[1].Ssrc);
    }

    [Fact]
    public void Rtp_from_a_tag_sums_its_rtp_streams_only()
    {
        var stats = Parse();
        Assert.Equal(new StreamCounters(20, 3440, 0), stats.RtpFrom("a1"));
        Assert.Equal(new StreamCounters(19, 3268, 1), stats.RtpFrom("b2"));
        Assert.Equal(StreamCounters.Zero, stats.RtpFrom("nobody"));
        Assert.Equal(new StreamCounters(39, 6708, 1), stats.TotalRtp);
        Assert.Equal(new StreamCounters(2, 84, 0), stats.TotalRtcp);
    }

    [Fact]
    public void Mos_is_read_in_tenths_with_jitter_loss_and_round_trip()
    {
        var quality = Assert.Single(Parse().Quality);
        Assert.Equal(201209520u, quality.Ssrc);
        Assert.Equal(3, quality.CumulativeLoss);
        Assert.Equal(new MosSample(4.1, 297329, 3, 1), quality.Average);
        Assert.Equal(4.0, quality.Lowest!.Mos);
        Assert.Equal(4.3, quality.Highest!.Mos);
    }

    [Fact]
    public void A_reply_without_tags_or_totals_reads_as_empty()
    {
        var stats = CallStatistics.Parse(new BencodeDictionary { ["result"] = "ok", ["SSRC"] = new BencodeDictionary() });
        Assert.Empty(stats.Streams);
        Assert.Empty(stats.Quality);
        Assert.Equal(StreamCounters.Zero, stats.TotalRtp);
    }
}
