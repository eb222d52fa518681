using System.Text;
using CallControl.Media.Bencode;
using CallControl.Media.Ng;

namespace CallControl.Media.Tests.Ng;

public sealed class CallStatisticsTests
{
    // A delete reply of rtpengine 10.5.3.5 after 20 RTP packets each way (recorded with ng.py, trimmed to one media
    // per tag), plus an SSRC entry in the shape rtpengine's docs show once RTCP gave it a MOS.
    private const string DeleteReply =
        "d7:createdi1796654703e4:SSRCd9:201209520d15:cumulative lossi3e11:average MOSd3:MOSi41e15:round-trip timei297329e6:jitteri3e11:packet lossi1e7:samplesi3ee"
        + "10:lowest MOSd3:MOSi40e15:round-trip timei249450e6:jitteri0e11:packet lossi4ee11:highest MOSd3:MOSi43e15:round-trip timei261626e6:jitteri1e11:packet lossi0eeee"
        + "4:tagsd2:a1d3:tag2:a16:mediasld5:indexi1e4:type5:audio7:streamsld10:local porti27120e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti34463ee5:flagsl3:RTP6:fillede4:SSRCi8738e5:statsd7:packetsi20e5:bytesi3440e6:errorsi0eee"
        + "d10:local porti27121e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti34464ee5:flagsl4:RTCP6:fillede5:statsd7:packetsi2e5:bytesi84e6:errorsi0eeeeeee"
        + "2:b2d3:tag2:b26:mediasld5:indexi1e4:type5:audio7:streamsld10:local porti27100e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti48467ee5:flagsl3:RTPe5:statsd7:packetsi19e5:bytesi3268e6:errorsi1eeeeeeee"
        + "6:totalsd3:RTPd7:packetsi39e5:bytesi6708e6:errorsi1ee4:RTCPd7:packetsi2e5:bytesi84e6:errorsi0eee6:result2:oke";

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
