using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;

namespace CallControl.Media.Tests.Integration;

/// <summary>
/// The protocol flags of docs/media.md, "SRTP and WebRTC per route", on a real rtpengine 10.5: an offer gets the
/// receiver's protocol whatever the offerer spoke, and the answer goes back in the offerer's own.
/// </summary>
[Collection(RtpengineCollection.Name)]
public sealed class ProtocolConversionTests(RtpengineFixture fixture)
{
    private const string Key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
    private const string Fingerprint = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:3D:3A:3E:4C:8D:5A:56:9F:DB:E5:5D:3F";

    private readonly NgClient _client = fixture.Client;
    private readonly NgAddress _engine = fixture.Engine.Address;

    private static string Sdp(int port, string protocol, params string[] attributes)
        => $"v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} {protocol} 0 101\r\n"
           + "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
           + string.Concat(attributes.Select(a => a + "\r\n"));

    // What a browser offers and answers: DTLS-SRTP with ICE, RTCP muxed.
    private static string WebRtc(int port, string setup)
        => Sdp(port, "UDP/TLS/RTP/SAVPF", "a=rtcp-mux", $"a=setup:{setup}", $"a=fingerprint:{Fingerprint}", "a=ice-ufrag:Fo3x", "a=ice-pwd:xK9mVq0aT6Ld2pRw8sYb3zEj",
            $"a=candidate:1 1 UDP 2130706431 127.0.0.1 {port} typ host", "a=end-of-candidates");

    private async Task<(string ToCallee, string ToCaller)> CallAsync(string callerSdp, MediaFlags offer, Func<string, string> calleeAnswers, MediaFlags answer)
    {
        var callId = "protocol-" + Guid.NewGuid().ToString("N");
        var offered = await _client.OfferAsync(_engine, new OfferRequest(callId, "caller", callerSdp) { Media = offer });
        var answered = await _client.AnswerAsync(_engine, new AnswerRequest(callId, "caller", "callee", calleeAnswers(offered.Sdp)) { Media = answer });
        await _client.DeleteAsync(_engine, new DeleteRequest(callId, "caller"));
        return (offered.Sdp, answered.Sdp);
    }

    [Fact]
    public async Task Toward_an_srtp_callee_the_offer_is_rtp_savp_with_crypto_keys_and_the_answer_to_an_rtp_caller_is_plain()
    {
        using var caller = new RtpPeer(1);
        using var callee = new RtpPeer(2);

        var (toCallee, toCaller) = await CallAsync(caller.Sdp("caller"), ProtocolFlags.SdesOffer,
            _ => Sdp(callee.Port, "RTP/SAVP", $"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{Key}"), MediaFlags.Default);

        Assert.Equal("RTP/SAVP", SdpText.Protocol(toCallee));
        Assert.Contains(SdpText.Lines(toCallee, "a=crypto:"), l => l.Contains(" AES_CM_128_HMAC_SHA1_80 inline:", StringComparison.Ordinal));
        Assert.DoesNotContain(SdpText.Lines(toCallee, "a=crypto:"), l => l.Contains("NULL_", StringComparison.Ordinal)); // no suite that does not encrypt
        Assert.Empty(SdpText.Lines(toCallee, "a=fingerprint:")); // SDES only: no DTLS offered beside it
        Assert.Empty(SdpText.Lines(toCallee, "a=ice-"));
        Assert.Equal("RTP/AVP", SdpText.Protocol(toCaller));
        Assert.Empty(SdpText.Lines(toCaller, "a=crypto:"));
        Assert.Empty(SdpText.Lines(toCaller, "a=fingerprint:"));
    }

    [Fact]
    public async Task Toward_a_webrtc_callee_the_offer_is_dtls_srtp_with_ice_and_rtcp_mux_and_the_answer_to_an_rtp_caller_is_plain()
    {
        using var caller = new RtpPeer(1);
        using var callee = new RtpPeer(2);

        var (toCallee, toCaller) = await CallAsync(caller.Sdp("caller"), ProtocolFlags.WebRtcOffer, _ => WebRtc(callee.Port, "active"), MediaFlags.Default);

        Assert.Equal("UDP/TLS/RTP/SAVPF", SdpText.Protocol(toCallee));
        Assert.Single(SdpText.Lines(toCallee, "a=fingerprint:sha-256 "));
        Assert.Equal(["a=setup:actpass"], SdpText.Lines(toCallee, "a=setup:"));
        Assert.Single(SdpText.Lines(toCallee, "a=ice-ufrag:"));
        Assert.Single(SdpText.Lines(toCallee, "a=ice-pwd:"));
        var candidate = Assert.Single(SdpText.Lines(toCallee, "a=candidate:")); // one component: RTCP is muxed
        Assert.EndsWith($" 127.0.0.1 {SdpText.Audio(toCallee).Port} typ host", candidate, StringComparison.Ordinal);
        Assert.Equal(["a=rtcp-mux"], SdpText.Lines(toCallee, "a=rtcp-mux"));
        Assert.Empty(SdpText.Lines(toCallee, "a=crypto:"));

        Assert.Equal("RTP/AVP", SdpText.Protocol(toCaller));
        Assert.Empty(SdpText.Lines(toCaller, "a=fingerprint:"));
        Assert.Empty(SdpText.Lines(toCaller, "a=ice-"));
        Assert.Empty(SdpText.Lines(toCaller, "a=candidate:"));
        Assert.Empty(SdpText.Lines(toCaller, "a=rtcp-mux"));
    }

    [Fact]
    public async Task An_srtp_caller_toward_an_rtp_callee_offers_plain_rtp_and_is_answered_in_srtp_with_one_key()
    {
        using var callee = new RtpPeer(2);

        var (toCallee, toCaller) = await CallAsync(Sdp(4000, "RTP/SAVP", $"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{Key}"), ProtocolFlags.RtpOffer,
            _ => callee.Sdp("callee"), MediaFlags.Default);

        Assert.Equal("RTP/AVP", SdpText.Protocol(toCallee));
        Assert.Empty(SdpText.Lines(toCallee, "a=crypto:"));
        Assert.Empty(SdpText.Lines(toCallee, "a=fingerprint:"));
        Assert.Equal("RTP/SAVP", SdpText.Protocol(toCaller));
        var key = Assert.Single(SdpText.Lines(toCaller, "a=crypto:"));
        Assert.StartsWith("a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:", key, StringComparison.Ordinal); // the caller's suite, rtpengine's key
        Assert.DoesNotContain(Key, key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webrtc_caller_toward_an_rtp_callee_offers_plain_rtp_and_is_answered_with_dtls_ice_and_rtcp_mux()
    {
        using var callee = new RtpPeer(2);

        var (toCallee, toCaller) = await CallAsync(WebRtc(4000, "actpass"), ProtocolFlags.RtpOffer, _ => callee.Sdp("callee"), ProtocolFlags.WebRtcAnswer);

        Assert.Equal("RTP/AVP", SdpText.Protocol(toCallee));
        Assert.Empty(SdpText.Lines(toCallee, "a=fingerprint:"));
        Assert.Empty(SdpText.Lines(toCallee, "a=ice-"));
        Assert.Empty(SdpText.Lines(toCallee, "a=rtcp-mux")); // a SIP phone gets RTCP on a port of its own
        Assert.Equal($"a=rtcp:{SdpText.Audio(toCallee).Port + 1}", Assert.Single(SdpText.Lines(toCallee, "a=rtcp:")));

        Assert.Equal("UDP/TLS/RTP/SAVPF", SdpText.Protocol(toCaller));
        Assert.Single(SdpText.Lines(toCaller, "a=fingerprint:sha-256 "));
        Assert.Equal(["a=setup:active"], SdpText.Lines(toCaller, "a=setup:"));
        Assert.Single(SdpText.Lines(toCaller, "a=ice-ufrag:"));
        Assert.Single(SdpText.Lines(toCaller, "a=candidate:"));
        Assert.Equal(["a=rtcp-mux"], SdpText.Lines(toCaller, "a=rtcp-mux"));
    }

    [Fact]
    public async Task Re_offers_keep_each_sides_protocol_srtp_toward_the_callee_and_plain_toward_the_caller()
    {
        using var caller = new RtpPeer(1);
        using var callee = new RtpPeer(2);
        var callId = "protocol-" + Guid.NewGuid().ToString("N");
        var calleeSdp = Sdp(callee.Port, "RTP/SAVP", $"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:{Key}");
        await _client.OfferAsync(_engine, new OfferRequest(callId, "caller", caller.Sdp("caller")) { Media = ProtocolFlags.SdesOffer });
        await _client.AnswerAsync(_engine, new AnswerRequest(callId, "caller", "callee", calleeSdp));

        var fromCaller = await _client.OfferAsync(_engine, new OfferRequest(callId, "caller", caller.Sdp("caller").Replace(" 1001 1 ", " 1001 2 ", StringComparison.Ordinal)) { ToTag = "callee", Media = ProtocolFlags.SdesOffer });
        var fromCallee = await _client.OfferAsync(_engine, new OfferRequest(callId, "callee", calleeSdp.Replace(" 1 1 ", " 1 2 ", StringComparison.Ordinal)) { ToTag = "caller", Media = ProtocolFlags.RtpOffer });
        await _client.DeleteAsync(_engine, new DeleteRequest(callId, "caller"));

        Assert.Equal("RTP/SAVP", SdpText.Protocol(fromCaller.Sdp));
        Assert.NotEmpty(SdpText.Lines(fromCaller.Sdp, "a=crypto:"));
        Assert.Equal("RTP/AVP", SdpText.Protocol(fromCallee.Sdp));
        Assert.Empty(SdpText.Lines(fromCallee.Sdp, "a=crypto:"));
    }
}
