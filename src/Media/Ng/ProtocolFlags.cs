namespace CallControl.Media.Ng;

/// <summary>
/// The <see cref="MediaFlags"/> that give the receiver of an SDP the media protocol it speaks, whatever the other side
/// speaks: rtpengine converts between them (docs/media.md, "SRTP and WebRTC per route"). Each set was checked against
/// rtpengine 10.5 (tests/CallControl.Media.Tests/Integration/ProtocolConversionTests.cs).
/// </summary>
public static class ProtocolFlags
{
    /// <summary>
    /// An offer toward a plain RTP party: <c>RTP/AVP</c> even from an SDES or DTLS offerer (its keys, fingerprint and
    /// ICE are left out), and RTCP on its own port (<c>rtcp-mux: demux</c>) while a muxing offerer keeps its mux.
    /// </summary>
    public static MediaFlags RtpOffer { get; } = MediaFlags.Default with { TransportProtocol = "RTP/AVP", RtcpMux = ["demux"] };

    /// <summary>
    /// An offer toward an SDES-SRTP party: <c>RTP/SAVP</c> with rtpengine's <c>a=crypto</c> keys. Without
    /// <c>DTLS: off</c> rtpengine would also offer a DTLS fingerprint, and without the two <c>no-</c> SDES flags the
    /// NULL-cipher suites, which authenticate but do not encrypt.
    /// </summary>
    public static MediaFlags SdesOffer { get; } = MediaFlags.Default with
    {
        TransportProtocol = "RTP/SAVP",
        Dtls = "off",
        Sdes = ["no-NULL_HMAC_SHA1_80", "no-NULL_HMAC_SHA1_32"],
        RtcpMux = ["demux"],
    };

    /// <summary>
    /// An offer toward a WebRTC party: <c>UDP/TLS/RTP/SAVPF</c> with ICE candidates (<c>ICE: force</c>), RTCP muxed
    /// (<c>rtcp-mux: require</c>, as browsers insist), and no SDES keys (<c>SDES: off</c>). No <c>DTLS</c> key: an
    /// offer says <c>a=setup:actpass</c> by itself, and a forced <c>passive</c> left DTLS hanging with Chrome
    /// (../shared/design/ecosystem/webrtc/README.md).
    /// </summary>
    public static MediaFlags WebRtcOffer { get; } = MediaFlags.Default with
    {
        TransportProtocol = "UDP/TLS/RTP/SAVPF",
        Ice = "force",
        RtcpMux = ["require"],
        Sdes = ["off"],
    };

    /// <summary>
    /// An answer toward a WebRTC offerer. Its protocol is the one it offered (rtpengine keeps each side's, so no
    /// <c>transport-protocol</c>); ICE and the RTCP mux are given back. An answer toward a plain RTP or SDES offerer
    /// needs nothing but <see cref="MediaFlags.Default"/>: rtpengine answers an SDES offer with one of its suites.
    /// </summary>
    public static MediaFlags WebRtcAnswer { get; } = MediaFlags.Default with { Ice = "force", RtcpMux = ["require"], Sdes = ["off"] };
}
