using System.Text;
using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// Media anchoring in the machine (docs/media.md, "Anchoring a call"): which message asks the relay for which command,
/// with which tags, and what each leg then sees; the end's delete and the CDR's media object; a relay that fails.
/// </summary>
public sealed class MediaAnchorTests : IDisposable
{
    internal const string CallerSdp = "v=0\r\no=x\r\ns=";
    internal const string CalleeSdp = "v=0\r\no=bob 1 1 IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nm=audio 4000 RTP/AVP 0\r\n";
    private readonly CallHost _calls = new(anchorMedia: true);

    public void Dispose() => _calls.Dispose();

    private CallScript NewCall(bool withOffer = true, CallHost? host = null)
        => new(host ?? _calls, $"media-{Guid.NewGuid():N}@127.0.0.1", withOffer);

    private static string Body(SipCommand command) => Encoding.ASCII.GetString(CallScript.Parse(command).Body.Span);

    private static SipCommand Respond(SipCommand[] commands) => commands.Single(c => c.Kind == SipCommandKind.Respond);

    private List<MediaRequest> Requests => [.. _calls.Media.Requests];

    private async Task<(CallScript Call, string CallerTag)> AnsweredAsync()
    {
        var call = NewCall();
        await call.InviteAsync();
        var ok = CallScript.Parse(Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp)));
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        return (call, ok.To.Tag!);
    }

    [Fact]
    public async Task The_callers_offer_is_rewritten_before_any_leg_is_dialled_and_every_leg_carries_the_relays_sdp()
    {
        var call = NewCall();

        await call.InviteAsync();

        var offer = Assert.Single(Requests);
        Assert.Equal(new MediaRequest(MediaKind.Offer, "alice-tag", null, CallerSdp, "127.0.0.1"), offer);
        Assert.Equal(FakeMediaRelay.Rewrite(offer), Encoding.ASCII.GetString(call.CalleeInvite!.Body.Span));
        Assert.True(_calls.Call(call.CallId).State.MediaAnchored);
    }

    [Fact]
    public async Task A_callees_answer_is_rewritten_from_the_callers_tag_to_the_callees_and_relayed_to_the_caller()
    {
        var call = NewCall();
        await call.InviteAsync();

        var ok = Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp));

        var answer = Requests[1];
        Assert.Equal(new MediaRequest(MediaKind.Answer, "alice-tag", "bob-tag", CalleeSdp, "127.0.0.1"), answer);
        Assert.Equal(200, CallScript.Parse(ok).StatusCode);
        Assert.Equal(FakeMediaRelay.Rewrite(answer), Body(ok));
    }

    [Fact]
    public async Task An_early_answer_in_a_183_is_rewritten_too()
    {
        var call = NewCall();
        await call.InviteAsync();

        var progress = Respond(await call.CalleeRespondsWithSdpAsync(183, CalleeSdp));

        Assert.Equal(MediaKind.Answer, Requests[1].Kind);
        Assert.Equal(183, CallScript.Parse(progress).StatusCode);
        Assert.Equal(FakeMediaRelay.Rewrite(Requests[1]), Body(progress));
    }

    [Fact]
    public async Task The_callers_bye_deletes_the_session_and_the_cdr_carries_its_counts()
    {
        var (call, callerTag) = await AnsweredAsync();

        await call.CallerSendsAsync("BYE", 2, callerTag);

        Assert.Equal(new MediaRequest(MediaKind.Delete, "alice-tag", "bob-tag", null, null), Requests[^1]);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
        Assert.Equal(FakeMediaRelay.Counts, cdr.Media);
    }

    [Fact]
    public async Task The_callees_bye_deletes_the_session()
    {
        var (call, _) = await AnsweredAsync();

        await call.CalleeSendsByeAsync();

        Assert.Equal(MediaKind.Delete, Requests[^1].Kind);
        Assert.Equal(FakeMediaRelay.Counts, Assert.Single(_calls.Cdrs(call.CallId)).Media);
    }

    [Fact]
    public async Task The_maximum_duration_deletes_the_session()
    {
        var (call, _) = await AnsweredAsync();

        var byes = await _calls.TimerAsync(call.CallId);

        Assert.Equal(2, byes.Count(c => c.Kind == SipCommandKind.Request));
        Assert.Equal(MediaKind.Delete, Requests[^1].Kind);
        Assert.Equal(HangupParty.System, Assert.Single(_calls.Cdrs(call.CallId)).HungUpBy);
    }

    [Fact]
    public async Task A_cancel_deletes_the_session_of_a_call_never_answered()
    {
        var call = NewCall();
        await call.InviteAsync();

        await call.CallerCancelsAsync();

        Assert.Equal(new MediaRequest(MediaKind.Delete, "alice-tag", null, null, null), Requests[^1]);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Cancelled, cdr.Disposition);
        Assert.NotNull(cdr.Media);
    }

    [Fact]
    public async Task A_failed_call_deletes_the_session()
    {
        var call = NewCall();
        await call.InviteAsync();

        var busy = Respond(await call.CalleeRespondsAsync(486));

        Assert.Equal(486, CallScript.Parse(busy).StatusCode);
        Assert.Equal(MediaKind.Delete, Requests[^1].Kind);
        Assert.Equal(CallDisposition.Busy, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task A_failed_delete_ends_the_call_all_the_same_with_no_media_object()
    {
        var (call, callerTag) = await AnsweredAsync();
        _calls.Media.Down = true;

        var commands = await call.CallerSendsAsync("BYE", 2, callerTag);

        Assert.Contains(commands, c => c.Kind == SipCommandKind.Request && CallScript.Parse(c).Method == SipMethod.Bye);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Null(cdr.Media);
    }

    [Fact]
    public async Task A_late_offer_is_made_by_the_callees_2xx_and_answered_by_the_callers_ack()
    {
        var call = NewCall(withOffer: false);
        await call.InviteAsync();
        Assert.Empty(Requests);
        Assert.True(call.CalleeInvite!.Body.IsEmpty);

        var ok = Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp));
        var offer = Assert.Single(Requests);
        Assert.Equal(new MediaRequest(MediaKind.Offer, "bob-tag", "alice-tag", CalleeSdp, "127.0.0.1"), offer);
        Assert.Equal(FakeMediaRelay.Rewrite(offer), Body(ok));

        var ack = Assert.Single(await call.CallerSendsAsync("ACK", 1, CallScript.Parse(ok).To.Tag!, body: CallerSdp));
        var answer = Requests[1];
        Assert.Equal(new MediaRequest(MediaKind.Answer, "bob-tag", "alice-tag", CallerSdp, "127.0.0.1"), answer);
        Assert.Equal(SipCommandKind.Ack, ack.Kind);
        Assert.Equal(FakeMediaRelay.Rewrite(answer), Body(ack));
    }

    [Fact]
    public async Task A_reinvite_is_re_offered_from_the_senders_tag_and_its_answer_rewritten()
    {
        var (call, callerTag) = await AnsweredAsync();

        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 2, callerTag, body: "v=0\r\no=hold\r\n")));
        var offer = Requests[^1];
        Assert.Equal(new MediaRequest(MediaKind.Offer, "alice-tag", "bob-tag", "v=0\r\no=hold\r\n", "127.0.0.1"), offer);
        Assert.Equal(FakeMediaRelay.Rewrite(offer), Encoding.ASCII.GetString(relayed.Body.Span));

        var answered = await call.CalleeAnswersAsync(relayed, 200, body: "v=0\r\no=held\r\n");
        var answer = Requests[^1];
        Assert.Equal(new MediaRequest(MediaKind.Answer, "alice-tag", "bob-tag", "v=0\r\no=held\r\n", "127.0.0.1"), answer);
        Assert.Equal(FakeMediaRelay.Rewrite(answer), Body(Respond(answered)));
    }

    [Fact]
    public async Task No_relay_for_the_offer_refuses_the_call_503_before_any_leg_rings()
    {
        _calls.Media.Down = true;
        var call = NewCall();

        var commands = await call.InviteAsync();

        Assert.Equal(503, CallScript.Parse(Assert.Single(commands)).StatusCode);
        Assert.Null(call.CalleeInvite);
        Assert.Equal([MediaKind.Offer], Requests.Select(r => r.Kind)); // nothing anchored: nothing to delete
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal((CallDisposition.Failed, 503), (cdr.Disposition, cdr.FinalStatus));
        Assert.Null(cdr.Media);
    }

    [Fact]
    public async Task An_answer_the_relay_cannot_take_is_refused_and_the_caller_gets_503()
    {
        var call = NewCall();
        await call.InviteAsync();
        _calls.Media.Down = true;

        var commands = await call.CalleeRespondsWithSdpAsync(200, CalleeSdp);

        Assert.Equal(503, CallScript.Parse(Respond(commands)).StatusCode);
        Assert.Equal([SipMethod.Ack, SipMethod.Bye], commands.Where(c => c.Kind != SipCommandKind.Respond).Select(c => CallScript.Parse(c).Method));
        Assert.Equal(503, Assert.Single(_calls.Cdrs(call.CallId)).FinalStatus);
    }

    [Fact]
    public async Task Passthrough_asks_the_relay_nothing_and_the_sdp_crosses_untouched()
    {
        using var passthrough = new CallHost();
        var call = NewCall(host: passthrough);
        await call.InviteAsync();
        var ok = Respond(await call.CalleeRespondsWithSdpAsync(200, CalleeSdp));
        await call.CallerSendsAsync("BYE", 2, CallScript.Parse(ok).To.Tag!);

        Assert.Empty(passthrough.Media.Requests);
        Assert.Equal(CallerSdp, Encoding.ASCII.GetString(call.CalleeInvite!.Body.Span));
        Assert.Equal(CalleeSdp, Body(ok));
        Assert.Null(Assert.Single(passthrough.Cdrs(call.CallId)).Media);
    }
}
