namespace CallControl.Media.Tests.Infrastructure;

/// <summary>ng replies recorded from rtpengine, for tests that parse them without a process. Also compiled into CallControl.Grains.Tests.</summary>
internal static class RecordedReplies
{
    // A delete reply of rtpengine 10.5.3.5 after 20 RTP packets each way (recorded with ng.py, trimmed to one media
    // per tag), plus an SSRC entry in the shape rtpengine's docs show once RTCP gave it a MOS.
    public const string Delete =
        "d7:createdi1796654703e4:SSRCd9:201209520d15:cumulative lossi3e11:average MOSd3:MOSi41e15:round-trip timei297329e6:jitteri3e11:packet lossi1e7:samplesi3ee"
        + "10:lowest MOSd3:MOSi40e15:round-trip timei249450e6:jitteri0e11:packet lossi4ee11:highest MOSd3:MOSi43e15:round-trip timei261626e6:jitteri1e11:packet lossi0eeee"
        + "4:tagsd2:a1d3:tag2:a16:mediasld5:indexi1e4:type5:audio7:streamsld10:local porti27120e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti34463ee5:flagsl3:RTP6:fillede4:SSRCi8738e5:statsd7:packetsi20e5:bytesi3440e6:errorsi0eee"
        + "d10:local porti27121e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti34464ee5:flagsl4:RTCP6:fillede5:statsd7:packetsi2e5:bytesi84e6:errorsi0eeeeeee"
        + "2:b2d3:tag2:b26:mediasld5:indexi1e4:type5:audio7:streamsld10:local porti27100e13:local address9:127.0.0.18:endpointd7:address9:127.0.0.14:porti48467ee5:flagsl3:RTPe5:statsd7:packetsi19e5:bytesi3268e6:errorsi1eeeeeeee"
        + "6:totalsd3:RTPd7:packetsi39e5:bytesi6708e6:errorsi1ee4:RTCPd7:packetsi2e5:bytesi84e6:errorsi0eee6:result2:oke";
}
