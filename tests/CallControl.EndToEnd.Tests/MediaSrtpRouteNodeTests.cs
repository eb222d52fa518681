using System.Globalization;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Messages;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A route whose media is <c>srtp</c> through the embedded node and a real rtpengine (docs/media.md, "SRTP and WebRTC
/// per route"): the callee is offered SDES-SRTP while the plain RTP caller is answered in plain RTP, and the caller's
/// RTP reaches the callee through the conversion.
/// </summary>
public sealed class MediaSrtpRouteNodeTests
{
    private const int Packets = 20;
    private const string CalleeKey = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

    [Fact]
    public async Task The_callee_of_an_srtp_route_gets_rtp_savp_with_crypto_keys_and_the_rtp_caller_gets_plain_rtp()
    {
        await using var engine = await RtpengineProcess.StartAsync();
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", new Dictionary<string, string>
        {
            ["CallControl__Media__Mode"] = "anchor",
            ["CallControl__Media__Rtpengine__0__Address"] = engine.Address.ToString(),
            ["CallControl__Routing__Routes__0__Name"] = "srtp-trunk",
            ["CallControl__Routing__Routes__0__Prefix"] = "7",
            ["CallControl__Routing__Routes__0__Targets__0"] = $"sip:127.0.0.1:{callee.LocalPort}",
            ["CallControl__Routing__Routes__0__Media"] = "srtp",
        });
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        using var callerMedia = new RtpPeer(0x1111);
        using var calleeMedia = new RtpPeer(0x2222);
        var callId = $"srtp-{Guid.NewGuid():N}";

        await caller.SendAsync(Request(caller, "srtp-caller", SipMethod.Invite, $"sip:7000@127.0.0.1:{node.SipPort}", callId, 1, toTag: null)
            .Body(Encoding.ASCII.GetBytes(callerMedia.Sdp("caller")), "application/sdp").ToArray());
        var invite = await NextFinalAsync(callee);
        var offered = Encoding.ASCII.GetString(invite.Body.Span);
        Assert.Equal("RTP/SAVP", SdpText.Protocol(offered));
        var keys = SdpText.Lines(offered, "a=crypto:");
        Assert.NotEmpty(keys);
        Assert.Empty(SdpText.Lines(offered, "a=fingerprint:"));

        // The callee takes rtpengine's AES_CM_128_HMAC_SHA1_80 offer (its tag) and answers with a key of its own.
        var chosen = Assert.Single(keys, k => k.Contains(" AES_CM_128_HMAC_SHA1_80 ", StringComparison.Ordinal));
        var tag = chosen["a=crypto:".Length..chosen.IndexOf(' ', StringComparison.Ordinal)];
        var answer = string.Create(CultureInfo.InvariantCulture,
            $"v=0\r\no=callee 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {calleeMedia.Port} RTP/SAVP 0 101\r\n"
            + $"a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\na=crypto:{tag} AES_CM_128_HMAC_SHA1_80 inline:{CalleeKey}\r\n");
        await callee.SendAsync(SipResponses.Create(invite, 200, toTag: "srtp-callee")
            .Add(Sip.Headers.HeaderId.Contact, $"<sip:callee@127.0.0.1:{callee.LocalPort}>")
            .Body(Encoding.ASCII.GetBytes(answer), "application/sdp").ToArray());
        var ok = await NextFinalAsync(caller);
        Assert.Equal(200, ok.StatusCode);
        var answered = Encoding.ASCII.GetString(ok.Body.Span);
        Assert.Equal("RTP/AVP", SdpText.Protocol(answered));
        Assert.Empty(SdpText.Lines(answered, "a=crypto:"));
        Assert.Empty(SdpText.Lines(answered, "a=fingerprint:"));
        await caller.SendAsync(InDialog(caller, "srtp-caller", SipMethod.Ack, callId, 1, ok).ToArray());
        Assert.Equal(SipMethod.Ack, (await NextFinalAsync(callee)).Method);

        // The caller's plain RTP comes out toward the callee as SRTP (the RTP header stays readable: same SSRC).
        var calleeGets = calleeMedia.ReceiveAsync(Packets);
        await callerMedia.SendAsync(SdpText.Audio(answered), Packets);
        Assert.Equal((Packets, 0x1111u), await calleeGets);

        await caller.SendAsync(InDialog(caller, "srtp-caller", SipMethod.Bye, callId, 2, ok).ToArray());
        var bye = await NextFinalAsync(callee);
        Assert.Equal(SipMethod.Bye, bye.Method);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        Assert.Equal(200, (await NextFinalAsync(caller)).StatusCode);
    }
}
