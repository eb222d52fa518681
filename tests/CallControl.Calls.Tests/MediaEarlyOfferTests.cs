using System.Text;
using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// A late offer made in a callee's reliable provisional (RFC 3262), anchored (docs/media.md, "Anchoring a call"): the
/// 18x's offer and the caller's PRACK's answer go through the relay, and the 2xx that repeats the SDP carries none.
/// </summary>
public sealed class MediaEarlyOfferTests : IDisposable
{
    private const string CalleeOffer = "v=0\r\no=bob 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nm=audio 4000 RTP/AVP 0\r\n";
    private const string CallerAnswer = "v=0\r\no=alice 2 1 IN IP4 10.0.0.7\r\ns=-\r\nc=IN IP4 10.0.0.7\r\nm=audio 5000 RTP/AVP 0\r\n";
    private readonly CallHost _calls = new(anchorMedia: true);

    public void Dispose() => _calls.Dispose();

    private List<MediaRequest> Requests => [.. _calls.Media.Requests];

    private static string Body(SipMessage message) => Encoding.ASCII.GetString(message.Body.Span);

    private async Task<(CallScript Call, SipMessage Early)> RingingWithEarlyOfferAsync()
    {
        var call = new CallScript(_calls, $"early-{Guid.NewGuid():N}@127.0.0.1", withOffer: false, extraInviteHeaders: "Supported: 100rel");
        await call.InviteAsync();
        var early = CallScript.Parse(Assert.Single(await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 183, "bob-tag", CalleeOffer, ("Require", "100rel"), ("RSeq", "41"))));
        return (call, early);
    }

    [Fact]
    public async Task The_offer_in_a_reliable_183_is_rewritten_for_the_caller_and_its_prack_answer_for_the_callee()
    {
        var (call, early) = await RingingWithEarlyOfferAsync();

        var offer = Assert.Single(Requests);
        Assert.Equal(new MediaRequest(MediaKind.Offer, "bob-tag", "alice-tag", CalleeOffer, "127.0.0.1"), offer with { Toward = default });
        Assert.Equal(FakeMediaRelay.Rewrite(offer), Body(early));
        Assert.NotNull(early.GetHeader(HeaderId.RSeq));

        var prack = CallScript.Parse(Assert.Single(await call.CallerSendsWithBodyAsync("PRACK", 2, early.To.Tag!, CallerAnswer, $"RAck: {early.GetHeader(HeaderId.RSeq)} 1 INVITE")));

        var answer = Requests[^1];
        Assert.Equal(new MediaRequest(MediaKind.Answer, "bob-tag", "alice-tag", CallerAnswer, "127.0.0.1"), answer with { Toward = default });
        Assert.Equal("PRACK", prack.MethodName);
        Assert.Equal("41 1 INVITE", prack.GetHeader(HeaderId.RAck));
        Assert.Equal(FakeMediaRelay.Rewrite(answer), Body(prack));
        Assert.Equal((CallerAnswer, CalleeOffer), (_calls.Call(call.CallId).State.CallerSdp, _calls.Call(call.CallId).State.CalleeSdp));
    }

    [Fact]
    public async Task The_2xx_that_repeats_the_early_offer_reaches_the_caller_without_sdp_and_asks_the_relay_nothing()
    {
        var (call, early) = await RingingWithEarlyOfferAsync();
        var prack = CallScript.Parse(Assert.Single(await call.CallerSendsWithBodyAsync("PRACK", 2, early.To.Tag!, CallerAnswer, $"RAck: {early.GetHeader(HeaderId.RSeq)} 1 INVITE")));
        await call.CalleeAnswersAsync(prack, 200);
        var before = Requests.Count;

        var ok = CallScript.Parse((await call.CalleeRespondsWithSdpAsync(200, CalleeOffer)).Single(c => c.Kind == SipCommandKind.Respond));

        Assert.Equal(200, ok.StatusCode);
        Assert.True(ok.Body.IsEmpty);
        Assert.Equal(before, Requests.Count);
        Assert.True(_calls.Call(call.CallId).State.MediaAnchored); // the end deletes the session
    }

    [Fact]
    public async Task An_unreliable_183_with_sdp_reaches_the_caller_without_it()
    {
        var call = new CallScript(_calls, $"early-{Guid.NewGuid():N}@127.0.0.1", withOffer: false);
        await call.InviteAsync();

        var early = CallScript.Parse(Assert.Single(await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 183, "bob-tag", CalleeOffer)));

        Assert.Equal(183, early.StatusCode);
        Assert.True(early.Body.IsEmpty);
        Assert.Empty(Requests);
    }
}
