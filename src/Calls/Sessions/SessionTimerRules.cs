namespace CallControl.Calls.Sessions;

/// <summary>What the caller's INVITE asks of the session timer, and what we answer (RFC 4028 §9, we are its UAS).</summary>
/// <param name="TooSmall">The INVITE's interval is below our minimum: it gets 422 with <see cref="MinSe"/>.</param>
/// <param name="Interval">The session interval, in seconds, that the callee leg asks for.</param>
/// <param name="MinSe">The smallest interval either of us takes: our minimum, or the caller's Min-SE when larger.</param>
/// <param name="CallerSupports">The caller lists "timer" in Supported or Require: it can refresh, and hears Require: timer.</param>
/// <param name="CallerRefresher">Who the caller asked to refresh its side, if it said.</param>
public readonly record struct CallerSessionRequest(bool TooSmall, int Interval, int MinSe, bool CallerSupports, Refresher CallerRefresher);

/// <summary>How one side of the call is refreshed, once answered.</summary>
/// <param name="Interval">The session interval in seconds.</param>
/// <param name="WeRefresh">We send the refreshes (re-INVITE or UPDATE) to this side; else this side sends them to us.</param>
/// <param name="Negotiated">The side agreed to the timer (Session-Expires in its 2xx, or it can read ours); false: it knows
/// nothing of timers, and our refreshes only prove it is still there (a B2BUA's keep-alive toward it).</param>
public readonly record struct SideSession(int Interval, bool WeRefresh, bool Negotiated);

/// <summary>
/// RFC 4028's rules for a B2BUA, in plain code: the caller's INVITE checked and its interval taken (§9), the callee
/// leg's INVITE asking for it (§7.1), a 422 retried with the larger minimum (§7.3), the callee's 2xx read (§7.2), the
/// caller's 2xx telling who refreshes (§9), and when a refresh is due or the session has expired (§10).
/// </summary>
public static class SessionTimerRules
{
    /// <summary>RFC 4028's floor for any Min-SE (§5).</summary>
    public const int AbsoluteMinimum = 90;

    /// <summary>The option tag.</summary>
    public const string Extension = "timer";

    /// <summary>
    /// The caller's INVITE (its Session-Expires, Min-SE, and whether it supports timers) against our interval and
    /// minimum: too small (422), or the interval the call asks its callee for: the caller's when it gave one (we may
    /// lower it, not below either minimum), else ours.
    /// </summary>
    public static CallerSessionRequest ForCaller(SessionExpires? callerSe, int? callerMinSe, bool callerSupports, int ourInterval, int ourMinSe)
    {
        var minSe = Math.Max(ourMinSe, Math.Max(callerMinSe ?? AbsoluteMinimum, AbsoluteMinimum));
        if (callerSe is { } asked && asked.Seconds < ourMinSe)
        {
            return new CallerSessionRequest(TooSmall: true, 0, ourMinSe, callerSupports, asked.Refresher);
        }

        var interval = Math.Max(minSe, Math.Min(callerSe?.Seconds ?? ourInterval, ourInterval));
        return new CallerSessionRequest(TooSmall: false, interval, minSe, callerSupports, callerSe?.Refresher ?? Refresher.None);
    }

    /// <summary>
    /// The interval to ask again after a callee's 422 (its Min-SE, §7.3), or null when there is nothing to retry: no
    /// usable Min-SE, one not above what was asked, or one above our own interval (we would not keep such a session).
    /// </summary>
    public static int? RetryAfter422(SessionExpires? minSe, int asked, int ourInterval)
        => minSe is { Seconds: var wanted } && wanted > asked && wanted <= Math.Max(ourInterval, asked) * 2 ? wanted : null;

    /// <summary>
    /// The callee side from its 2xx (§7.2): the interval and refresher it answered (refresher=uac: us), or, when it
    /// answered none, our interval with us refreshing it as a keep-alive.
    /// </summary>
    public static SideSession ForCallee(SessionExpires? answered, int asked)
        => answered is { } se
            ? new SideSession(se.Seconds, WeRefresh: se.Refresher != Refresher.Uas, Negotiated: true)
            : new SideSession(asked, WeRefresh: true, Negotiated: false);

    /// <summary>
    /// The caller side, and the Session-Expires for its 2xx (§9): the refresher the caller asked for, else the caller
    /// itself when it supports timers (the refreshes then cost us nothing), else us; a caller that does not support
    /// timers still gets the header, with refresher=uas, and no Require.
    /// </summary>
    public static (SideSession Side, SessionExpires Header, bool RequireTimer) ForCaller(CallerSessionRequest request, int interval)
    {
        var refresher = request.CallerRefresher != Refresher.None && request.CallerSupports
            ? request.CallerRefresher
            : request.CallerSupports ? Refresher.Uac : Refresher.Uas;
        return (new SideSession(interval, WeRefresh: refresher == Refresher.Uas, Negotiated: request.CallerSupports),
            new SessionExpires(interval, refresher),
            RequireTimer: refresher == Refresher.Uac);
    }

    /// <summary>When we refresh a side last refreshed at <paramref name="refreshed"/>: half its interval later (§10).</summary>
    public static DateTimeOffset RefreshDue(DateTimeOffset refreshed, int interval) => refreshed + TimeSpan.FromSeconds(interval / 2.0);

    /// <summary>
    /// When a side that refreshes itself has let its session expire: its interval less a third of it, at most 32 s,
    /// after the last refresh (§10: the margin for a refresh that is under way).
    /// </summary>
    public static DateTimeOffset ExpiresAt(DateTimeOffset refreshed, int interval)
        => refreshed + TimeSpan.FromSeconds(interval - Math.Min(32, interval / 3.0));
}
