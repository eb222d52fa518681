using System.Text;
using CallControl.Grains;
using CallControl.Grains.Routing;
using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>
/// A route's media profile in the machine (docs/media.md, "SRTP and WebRTC per route"): each media request names the
/// profile of the side its SDP goes to, the route's for the callee and the caller's own (read from its offer) for the
/// caller, kept in the call's state for every later offer and answer.
/// </summary>
public sealed class RouteMediaProfileTests : IDisposable
{
    private const string SrtpRoute = "7000"; // FailoverTestRouter: media srtp
    private const string CalleeSdp = "v=0\r\no=bob 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nm=audio 4000 RTP/SAVP 0\r\n";
    private readonly CallHost _calls = new(anchorMedia: true);

    public void Dispose() => _calls.Dispose();

    private List<MediaRequest> Requests => [.. _calls.Media.Requests];

    private CallScript NewCall(string dialled = SrtpRoute, bool withOffer = true, string? offer = null)
        => new(_calls, $"profile-{Guid.NewGuid():N}@127.0.0.1", withOffer, dialled) { CallerOffer = offer ?? "v=0\no=x\ns=" };

    private static SipCommand Respond(SipCommand[] commands) => commands.Single(c => c.Kind == SipCommandKind.Respond);

    [Fact]
    public async Task The_routes_profile_goes_with_the_offer_toward_the_callee_and_the_answer_goes_back_in_the_callers_own()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.CalleeRespondsWithSdpAsync(200, CalleeSdp);

        Assert.Equal([(MediaKind.Offer, MediaProfile.Srtp), (MediaKind.Answer, MediaProfile.Rtp)], Requests.Select(r => (r.Kind, r.Toward)));
        var state = _calls.Call(call.CallId).State;
        Assert.Equal((MediaProfile.Srtp, MediaProfile.Rtp), (state.MediaCallee, state.MediaCaller));
    }

    [Fact]
    public async Task A_route_without_a_profile_offers_plain_rtp()
    {
        var call = NewCall(dialled: "1000");

        await call.InviteAsync();

        Assert.Equal(MediaProfile.Rtp, Assert.Single(Requests).Toward);
    }

    [Fact]
    public async Task A_callers_sdes_offer_makes_it_an_srtp_party_whose_answers_come_back_in_srtp()
    {
        var call = NewCall(dialled: "1000", offer: "v=0\no=alice 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nm=audio 4000 RTP/SAVP 0\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\n");
        await call.InviteAsync();
        await call.CalleeRespondsWithSdpAsync(200, CalleeSdp.Replace("RTP/SAVP", "RTP/AVP", StringComparison.Ordinal));

        Assert.Equal([(MediaKind.Offer, MediaProfile.Rtp), (MediaKind.Answer, MediaProfile.Srtp)], Requests.Select(r => (r.Kind, r.Toward)));
        Assert.Equal(MediaProfile.Srtp, _calls.Call(call.CallId).State.MediaCaller);
    }

    [Fact]
    public async Task A_reinvite_from_the_caller_is_re_offered_in_the_routes_profile_and_answered_in_the_callers()
    {
        var call = NewCall();
        await call.InviteAsync();
        var ok = CallScript.Parse(Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp)));
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);

        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 2, ok.To.Tag!, body: "v=0\r\no=hold\r\n")));
        await call.CalleeAnswersAsync(relayed, 200, body: CalleeSdp);

        Assert.Equal([(MediaKind.Offer, MediaProfile.Srtp), (MediaKind.Answer, MediaProfile.Rtp)], Requests[2..].Select(r => (r.Kind, r.Toward)));
    }

    [Fact]
    public async Task A_late_offer_from_an_srtp_callee_goes_to_the_caller_in_its_profile_and_the_callers_answer_back_in_the_routes()
    {
        var call = NewCall(withOffer: false);
        await call.InviteAsync();
        var ok = CallScript.Parse(Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp)));

        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!, body: "v=0\r\no=x\r\ns=");

        Assert.Equal([(MediaKind.Offer, MediaProfile.Rtp), (MediaKind.Answer, MediaProfile.Srtp)], Requests.Select(r => (r.Kind, r.Toward)));
        Assert.Equal(Encoding.ASCII.GetBytes(FakeMediaRelay.Rewrite(Requests[0])), ok.Body.ToArray());
    }
}
