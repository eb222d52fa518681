using System.Net;
using CallControl.Calls;
using CallControl.Grains.Dialogs;
using CallControl.Grains.Routing;
using CallControl.Media.Ng;

namespace CallControl.Grains.Tests;

/// <summary>
/// Which rtpengine flags each media command gets from the profile of the side its SDP goes to (docs/media.md, "SRTP
/// and WebRTC per route"), and that the trust in the sender's address still applies on top of them.
/// </summary>
public sealed class MediaProfileFlagsTests
{
    private const string NatSdp = "v=0\r\no=- 1 1 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    [Fact]
    public void An_offer_toward_each_profile_sets_its_protocol()
    {
        var rtp = MediaProfileFlags.For(MediaProfile.Rtp, MediaKind.Offer);
        var srtp = MediaProfileFlags.For(MediaProfile.Srtp, MediaKind.Offer);
        var webrtc = MediaProfileFlags.For(MediaProfile.WebRtc, MediaKind.Offer);

        Assert.Equal(("RTP/AVP", "remove", null), (rtp.TransportProtocol, rtp.Ice, rtp.Dtls));
        Assert.Equal(["demux"], rtp.RtcpMux);
        Assert.Equal(("RTP/SAVP", "remove", "off"), (srtp.TransportProtocol, srtp.Ice, srtp.Dtls));
        Assert.Equal(["no-NULL_HMAC_SHA1_80", "no-NULL_HMAC_SHA1_32"], srtp.Sdes);
        Assert.Equal(("UDP/TLS/RTP/SAVPF", "force", null), (webrtc.TransportProtocol, webrtc.Ice, webrtc.Dtls));
        Assert.Equal(["require"], webrtc.RtcpMux);
        Assert.Equal(["off"], webrtc.Sdes);
        foreach (var flags in new[] { rtp, srtp, webrtc })
        {
            Assert.Equal(["origin", "session-connection"], flags.Replace); // topology hiding, as before
            Assert.Equal(["trust-address"], flags.Flags);
        }
    }

    [Fact]
    public void An_answer_keeps_the_offerers_protocol_and_gives_ice_and_rtcp_mux_back_only_to_a_webrtc_offerer()
    {
        Assert.Same(MediaFlags.Default, MediaProfileFlags.For(MediaProfile.Rtp, MediaKind.Answer));
        Assert.Same(MediaFlags.Default, MediaProfileFlags.For(MediaProfile.Srtp, MediaKind.Answer));
        var webrtc = MediaProfileFlags.For(MediaProfile.WebRtc, MediaKind.Answer);

        Assert.Null(webrtc.TransportProtocol);
        Assert.Equal("force", webrtc.Ice);
        Assert.Equal(["require"], webrtc.RtcpMux);
    }

    [Fact]
    public void A_natted_senders_offer_toward_an_srtp_callee_keeps_both_the_protocol_and_the_signalling_source()
    {
        var flags = MediaTrust.FlagsFor(NatSdp, "198.51.100.2", MediaProfileFlags.For(MediaProfile.Srtp, MediaKind.Offer));

        Assert.Equal("RTP/SAVP", flags.TransportProtocol);
        Assert.Empty(flags.Flags);
        Assert.Equal(IPAddress.Parse("198.51.100.2"), flags.ReceivedFrom);
    }
}
