using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests.Sessions;

/// <summary>
/// Session timers in the call (RFC 4028, 30 min by default): the caller's interval checked (422), asked of the callee,
/// who refreshes each side, our refreshes at half the interval, and the end of a call whose side stopped refreshing.
/// </summary>
public sealed class SessionTimerCallTests : IDisposable
{
    private readonly CallHost _calls = new(new CallOptions { RingTimeout = TimeSpan.FromSeconds(30), MaxDuration = TimeSpan.FromHours(4) });

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task A_caller_asking_for_less_than_our_minimum_gets_422_with_min_se()
    {
        var call = Call("Session-Expires: 60\nSupported: timer");

        var refused = CallScript.Parse(Assert.Single(await call.InviteAsync()));

        Assert.Equal(422, refused.StatusCode);
        Assert.Equal("90", refused.GetHeader("Min-SE"));
        Assert.Equal(CallDisposition.Failed, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task The_callee_is_asked_the_callers_interval_and_the_caller_that_supports_timers_refreshes_itself()
    {
        var call = Call("Session-Expires: 600\nSupported: timer");
        await call.InviteAsync();
        var invite = call.CalleeInvite!;
        Assert.Equal("600", invite.GetHeader(HeaderId.SessionExpires));
        Assert.Equal("90", invite.GetHeader("Min-SE"));
        Assert.Contains("timer", invite.GetHeaders(HeaderId.Supported));

        var ok = CallScript.Parse((await call.LegRespondsAsync(invite, 200, headers: ("Session-Expires", "600;refresher=uac")))[1]);

        Assert.Equal("600;refresher=uac", ok.GetHeader(HeaderId.SessionExpires));
        Assert.Contains("timer", ok.GetHeaders(HeaderId.Require));
        var state = _calls.Call(call.CallId).State;
        Assert.False(state.RefreshCaller); // the caller refreshes its side
        Assert.True(state.RefreshCallee);  // refresher=uac on the callee leg: us
    }

    [Fact]
    public async Task A_side_that_does_not_refresh_ends_the_call_at_its_expiry_with_bye_on_both_legs()
    {
        var call = Call("Session-Expires: 600;refresher=uac\nSupported: timer");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsAsync(call.CalleeInvite!, 200, headers: ("Session-Expires", "600;refresher=uas")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        var answered = _calls.Time.GetUtcNow();

        var commands = await _calls.TimerAsync(call.CallId);

        Assert.Equal(answered.AddSeconds(600 - 32), _calls.Time.GetUtcNow()); // RFC 4028 §10: the interval less 32 s
        Assert.Equal([SipMethod.Bye, SipMethod.Bye], commands.Select(c => CallScript.Parse(c).Method));
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal((CallDisposition.SessionExpired, HangupParty.System), (cdr.Disposition, cdr.HungUpBy));
    }

    [Fact]
    public async Task We_refresh_a_callee_that_knows_no_timers_with_update_at_half_the_interval_and_its_2xx_moves_the_next()
    {
        var call = Call("Supported: timer");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsAsync(call.CalleeInvite!, 200, headers: ("Allow", "INVITE, ACK, BYE, CANCEL, UPDATE")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        var answered = _calls.Time.GetUtcNow();

        var refresh = CallScript.Parse(Assert.Single(await _calls.TimerAsync(call.CallId)));

        Assert.Equal(answered.AddSeconds(900), _calls.Time.GetUtcNow()); // half of our 1800 s
        Assert.Equal((SipMethod.Update, call.CalleeInvite!.CallId), (refresh.Method, refresh.CallId));
        Assert.False(refresh.HasBody);
        Assert.Empty(await call.CalleeAnswersAsync(refresh, 200));
        Assert.Equal(_calls.Time.GetUtcNow(), _calls.Call(call.CallId).State.CalleeRefreshedAt);
        // Next: the caller's expiry (it refreshes itself: 1800 - 32 s after the answer), before our next refresh.
        Assert.Equal(answered.AddSeconds(1800 - 32), CallDeadlines.Next(_calls.Call(call.CallId).State));
    }

    [Fact]
    public async Task A_callee_that_allows_no_update_is_probed_with_options_and_its_481_ends_the_call()
    {
        var call = Call("Supported: timer");
        var ok = await call.AnswerAsync();

        var probe = CallScript.Parse(Assert.Single(await _calls.TimerAsync(call.CallId)));
        Assert.Equal(SipMethod.Options, probe.Method);

        var ended = await call.CalleeAnswersAsync(probe, 481);

        Assert.Equal([SipMethod.Bye, SipMethod.Bye], ended.Select(c => CallScript.Parse(c).Method));
        Assert.Equal(CallDisposition.SessionExpired, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
        Assert.NotNull(ok);
    }

    [Fact]
    public async Task A_re_invite_answered_end_to_end_refreshes_both_sides()
    {
        var call = Call("Session-Expires: 600;refresher=uac\nSupported: timer");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsAsync(call.CalleeInvite!, 200, headers: ("Session-Expires", "600;refresher=uas")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        _calls.Time.Advance(TimeSpan.FromSeconds(300));

        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsWithBodyAsync("INVITE", 2, ok.To.Tag!, "v=0\no=x 1 2 IN IP4 127.0.0.1\ns=", "Session-Expires: 600;refresher=uac")));
        await call.CalleeAnswersAsync(relayed, 200, "v=0\no=y 1 2 IN IP4 127.0.0.1\ns=");

        var state = _calls.Call(call.CallId).State;
        Assert.Equal((_calls.Time.GetUtcNow(), _calls.Time.GetUtcNow()), (state.CallerRefreshedAt, state.CalleeRefreshedAt));
        Assert.Equal(_calls.Time.GetUtcNow().AddSeconds(600 - 32), CallDeadlines.Next(state));
    }

    [Fact]
    public async Task A_callee_that_agreed_to_the_timer_but_allows_no_update_is_refreshed_with_a_re_invite_offering_its_sdp_unchanged()
    {
        var call = Call("Supported: timer");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 200, "bob-tag", "v=0\no=bob 1 1 IN IP4 127.0.0.1\ns=", ("Session-Expires", "1800;refresher=uac"), ("Allow", "INVITE, ACK, BYE")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        var answered = _calls.Time.GetUtcNow();

        var refresh = CallScript.Parse(Assert.Single(await _calls.TimerAsync(call.CallId)));

        Assert.Equal(answered.AddSeconds(900), _calls.Time.GetUtcNow());
        Assert.Equal((SipMethod.Invite, call.CalleeInvite!.CallId, "bob-tag"), (refresh.Method, refresh.CallId, refresh.To.Tag));
        Assert.Equal(call.CalleeInvite.Body.ToArray(), refresh.Body.ToArray()); // the offer it got first, its version too (RFC 4028 §7.4)
        Assert.True(_calls.Call(call.CallId).State.Relays.Single().SessionRefresh);

        var ack = CallScript.Parse(Assert.Single(await call.CalleeAnswersAsync(refresh, 200, "v=0\no=bob 1 1 IN IP4 127.0.0.1\ns=")));

        Assert.Equal((SipMethod.Ack, refresh.CSeq.Number), (ack.Method, ack.CSeq.Number));
        var state = _calls.Call(call.CallId).State;
        Assert.Empty(state.Relays);
        Assert.Equal(_calls.Time.GetUtcNow(), state.CalleeRefreshedAt);
    }

    [Fact]
    public async Task A_caller_that_asked_us_to_refresh_and_allows_no_update_gets_a_re_invite_with_the_sdp_of_its_2xx()
    {
        var call = Call("Session-Expires: 600;refresher=uas\nSupported: timer\nAllow: INVITE, ACK, BYE, CANCEL");
        await call.InviteAsync();
        var answer = "v=0\r\no=bob 7 7 IN IP4 127.0.0.1\r\ns=\r\n";
        var ok = CallScript.Parse((await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 200, "bob-tag", answer, ("Session-Expires", "600;refresher=uas")))[1]);
        Assert.Equal("600;refresher=uas", ok.GetHeader(HeaderId.SessionExpires));
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);

        var refresh = CallScript.Parse(Assert.Single(await _calls.TimerAsync(call.CallId)));

        Assert.Equal((SipMethod.Invite, call.CallId), (refresh.Method, refresh.CallId));
        Assert.Equal(ok.Body.ToArray(), refresh.Body.ToArray());
        Assert.Equal("application/sdp", refresh.ContentType);
        Assert.Null(_calls.Call(call.CallId).State.SdpToCallee); // its side refreshes itself: nothing kept for it
    }

    [Fact]
    public async Task A_re_invite_relayed_to_a_side_refreshed_by_re_invite_becomes_the_offer_of_the_next_refresh()
    {
        var call = Call("Session-Expires: 600;refresher=uas\nSupported: timer\nAllow: INVITE, ACK, BYE, CANCEL");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 200, "bob-tag", "v=0\no=bob 1 1 IN IP4 127.0.0.1\ns=", ("Session-Expires", "600;refresher=uas")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        var hold = "v=0\r\no=bob 1 2 IN IP4 127.0.0.1\r\ns=\r\na=sendonly\r\n";

        var relayed = CallScript.Parse(Assert.Single(await call.CalleeSendsAsync("INVITE", 2, hold, "application/sdp")));
        await call.CallerAnswersAsync(relayed, 200);
        _calls.Time.Advance(TimeSpan.FromSeconds(100));
        var refresh = CallScript.Parse(Assert.Single(await _calls.TimerAsync(call.CallId)));

        Assert.Equal(SipMethod.Invite, refresh.Method);
        Assert.Equal(hold, System.Text.Encoding.ASCII.GetString(refresh.Body.Span));
    }

    [Fact]
    public async Task A_call_refreshed_by_update_or_by_its_parties_keeps_no_sdp()
    {
        var call = Call("Session-Expires: 600\nSupported: timer");
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.LegRespondsWithSdpAsync(call.CalleeInvite!, 200, "bob-tag", "v=0\no=bob 1 1 IN IP4 127.0.0.1\ns=", ("Allow", "INVITE, ACK, BYE, UPDATE")))[1]);
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);

        var state = _calls.Call(call.CallId).State;

        Assert.Equal((false, true), (state.RefreshCaller, state.RefreshCallee));
        Assert.Equal((null, null), (state.SdpToCaller, state.SdpToCallee));
    }

    [Fact]
    public async Task A_callees_422_is_retried_on_a_new_leg_with_its_min_se()
    {
        var call = Call("");
        await call.InviteAsync();

        var retry = call.TakeCalleeInvite(await call.LegRespondsAsync(call.CalleeInvite!, 422, contact: null, headers: ("Min-SE", "3600")));

        Assert.Equal("3600", retry.GetHeader(HeaderId.SessionExpires));
        Assert.Equal("3600", retry.GetHeader("Min-SE"));
        Assert.Equal(2, _calls.Call(call.CallId).State.Legs.Count);
    }

    private CallScript Call(string headers) => new(_calls, $"session-{Guid.NewGuid():N}@127.0.0.1", extraInviteHeaders: headers);
}
