namespace CallControl.Media.Ng;

/// <summary>
/// One stream of one side (tag) of a call at rtpengine: the port rtpengine gave that side, the peer it learned, and
/// what rtpengine received from that peer. rtpengine 10.5 counts per stream what arrives from the side's endpoint
/// (ECOSYSTEM.md §3, checked by running it), so "caller to callee" is the caller's tag's RTP count, and the other
/// way is the callee's.
/// </summary>
/// <param name="Tag">The side's tag (from-tag or to-tag).</param>
/// <param name="MediaIndex">The m= line's index, from 1.</param>
/// <param name="MediaType">The m= line's type: <c>audio</c>, <c>video</c>...</param>
/// <param name="IsRtcp">True for the RTCP stream, false for RTP.</param>
/// <param name="LocalAddress">The address rtpengine receives this side's media on.</param>
/// <param name="LocalPort">The port rtpengine receives this side's media on (the one in the SDP it sent this side).</param>
/// <param name="PeerAddress">The side's media address rtpengine sends to (learned or from the SDP); null if unknown.</param>
/// <param name="PeerPort">The side's media port; 0 if unknown.</param>
/// <param name="Ssrc">The SSRC seen from this side, if any.</param>
/// <param name="Received">What rtpengine received from this side on this stream.</param>
public sealed record MediaStreamStatistics(
    string Tag,
    int MediaIndex,
    string MediaType,
    bool IsRtcp,
    string LocalAddress,
    int LocalPort,
    string? PeerAddress,
    int PeerPort,
    uint? Ssrc,
    StreamCounters Received);
