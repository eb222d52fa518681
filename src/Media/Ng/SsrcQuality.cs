namespace CallControl.Media.Ng;

/// <summary>
/// Call quality rtpengine derived for one SSRC from RTCP (its reply's top-level <c>SSRC</c> dictionary). rtpengine only
/// fills it once RTCP reports let it compute a MOS; our 10.5 run with plain RTP and RTCP SR/RR (no round trip)
/// returned <c>SSRC: {}</c>, so every field is optional.
/// </summary>
/// <param name="Ssrc">The SSRC.</param>
/// <param name="CumulativeLoss">Packets reported lost, if reported.</param>
/// <param name="Average">The average MOS sample.</param>
/// <param name="Lowest">The lowest MOS sample.</param>
/// <param name="Highest">The highest MOS sample.</param>
public sealed record SsrcQuality(uint Ssrc, long? CumulativeLoss, MosSample? Average, MosSample? Lowest, MosSample? Highest);

/// <summary>One MOS sample as rtpengine reports it.</summary>
/// <param name="Mos">The MOS, 1.0-5.0 (rtpengine sends tenths: 41 is 4.1).</param>
/// <param name="RoundTripMicroseconds">The round-trip time, microseconds.</param>
/// <param name="Jitter">Jitter as rtpengine reports it (milliseconds).</param>
/// <param name="PacketLossPercent">Packet loss, percent.</param>
public sealed record MosSample(double Mos, long RoundTripMicroseconds, long Jitter, long PacketLossPercent);
