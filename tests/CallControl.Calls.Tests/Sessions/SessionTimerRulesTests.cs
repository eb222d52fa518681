using CallControl.Calls.Sessions;

namespace CallControl.Calls.Tests.Sessions;

/// <summary>RFC 4028 for the B2BUA, without a call: headers, the caller's request, 422 retries, each side's refresher and deadlines.</summary>
public sealed class SessionTimerRulesTests
{
    [Theory]
    [InlineData("1800", 1800, Refresher.None)]
    [InlineData("1800;refresher=uac", 1800, Refresher.Uac)]
    [InlineData(" 90 ; Refresher = UAS ;x=y", 90, Refresher.Uas)]
    [InlineData("600;refresher=proxy", 600, Refresher.None)]
    public void Session_expires_is_read_with_its_refresher(string text, int seconds, Refresher refresher)
    {
        Assert.True(SessionExpires.TryParse(text, out var header));
        Assert.Equal(new SessionExpires(seconds, refresher), header);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("0")]
    [InlineData("-5")]
    public void Anything_else_is_no_session_expires(string? text) => Assert.False(SessionExpires.TryParse(text, out _));

    [Fact]
    public void It_is_written_as_rfc_4028_has_it()
    {
        Assert.Equal("1800;refresher=uac", new SessionExpires(1800, Refresher.Uac).ToString());
        Assert.Equal("90", new SessionExpires(90).ToString());
    }

    [Fact]
    public void A_caller_asking_below_our_minimum_gets_422_with_it()
    {
        var request = SessionTimerRules.ForCaller(new SessionExpires(60), callerMinSe: null, callerSupports: true, ourInterval: 1800, ourMinSe: 120);

        Assert.True(request.TooSmall);
        Assert.Equal(120, request.MinSe);
    }

    [Theory]
    [InlineData(null, null, 1800, 90)]   // asks nothing: ours
    [InlineData(600, null, 600, 90)]     // asks less: taken
    [InlineData(7200, null, 1800, 90)]   // asks more: lowered to ours
    [InlineData(600, 900, 900, 900)]     // its own minimum above what it asks: the minimum
    public void The_interval_asked_of_the_callee_is_the_callers_within_both_minimums(int? asked, int? callerMinSe, int interval, int minSe)
    {
        var request = SessionTimerRules.ForCaller(asked is { } s ? new SessionExpires(s) : null, callerMinSe, callerSupports: false, ourInterval: 1800, ourMinSe: 90);

        Assert.False(request.TooSmall);
        Assert.Equal((interval, minSe), (request.Interval, request.MinSe));
    }

    [Theory]
    [InlineData(1200, 600, 1800, 1200)]
    [InlineData(600, 600, 1800, null)]   // not above what was asked: nothing to retry
    [InlineData(7200, 600, 1800, null)]  // far above our own interval: not kept
    public void A_422_is_retried_with_its_min_se(int minSe, int asked, int ours, int? retry)
        => Assert.Equal(retry, SessionTimerRules.RetryAfter422(new SessionExpires(minSe), asked, ours));

    [Fact]
    public void A_callee_that_answers_a_refresher_is_held_to_it_and_one_that_answers_none_is_refreshed_by_us()
    {
        Assert.Equal(new SideSession(900, WeRefresh: false, Negotiated: true), SessionTimerRules.ForCallee(new SessionExpires(900, Refresher.Uas), asked: 1800));
        Assert.Equal(new SideSession(900, WeRefresh: true, Negotiated: true), SessionTimerRules.ForCallee(new SessionExpires(900, Refresher.Uac), asked: 1800));
        Assert.Equal(new SideSession(1800, WeRefresh: true, Negotiated: false), SessionTimerRules.ForCallee(null, asked: 1800));
    }

    [Fact]
    public void A_caller_that_supports_timers_refreshes_itself_and_hears_require_one_that_does_not_is_refreshed_by_us()
    {
        var supports = SessionTimerRules.ForCaller(new CallerSessionRequest(false, 1800, 90, CallerSupports: true, Refresher.None), 1800);
        var asksUs = SessionTimerRules.ForCaller(new CallerSessionRequest(false, 1800, 90, CallerSupports: true, Refresher.Uas), 1800);
        var knowsNothing = SessionTimerRules.ForCaller(new CallerSessionRequest(false, 1800, 90, CallerSupports: false, Refresher.None), 1800);

        Assert.Equal((new SideSession(1800, false, true), new SessionExpires(1800, Refresher.Uac), true), supports);
        Assert.Equal((new SideSession(1800, true, true), new SessionExpires(1800, Refresher.Uas), false), asksUs);
        Assert.Equal((new SideSession(1800, true, false), new SessionExpires(1800, Refresher.Uas), false), knowsNothing);
    }

    [Fact]
    public void A_refresh_is_due_at_half_the_interval_and_the_session_expires_a_third_or_32_s_before_its_end()
    {
        var at = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(at.AddSeconds(900), SessionTimerRules.RefreshDue(at, 1800));
        Assert.Equal(at.AddSeconds(1800 - 32), SessionTimerRules.ExpiresAt(at, 1800));
        Assert.Equal(at.AddSeconds(60), SessionTimerRules.ExpiresAt(at, 90)); // 90 - 90/3
    }
}
