using CallControl.Calls.Sessions;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Session timers (RFC 4028; docs/interop.md, "Session timers"): the B2BUA keeps a session interval on each side. The
// caller's INVITE is checked (422 below our minimum) and its interval asked of the callee legs; a callee's 422 is
// retried with its Min-SE as a new leg; the callee's 2xx says who refreshes its side (a callee that knows nothing of
// timers is refreshed by us, as a keep-alive), and the caller's 2xx says who refreshes the caller's. A refresh in
// either direction (a re-INVITE or UPDATE relayed end to end and answered 2xx) refreshes both sides. Where we
// refresh, an UPDATE goes at half the interval (an OPTIONS in the dialog to a party that allows no UPDATE); a side
// that was to refresh itself and did not, or that does not answer ours, ends the call: BYE on both legs, CDR
// session-expired. The deadlines live in the state (CallDeadlines.SessionDue), so a reactivated or parked call keeps them.
public sealed partial class CallMachine
{
    private const string MinSe = "Min-SE";

    private int OurSessionInterval => (int)_options.SessionExpires.TotalSeconds;

    /// <summary>The caller's INVITE's session timer: false when it asked for less than our minimum and got 422.</summary>
    private bool TakeCallerSession(SipMessage invite)
    {
        if (_options.SessionExpires == TimeSpan.Zero)
        {
            return true;
        }

        SessionExpires? asked = SessionExpires.TryParse(invite.GetHeader(HeaderId.SessionExpires), out var se) ? se : null;
        int? callerMinSe = SessionExpires.TryParse(invite.GetHeader(MinSe), out var min) ? min.Seconds : null;
        var supports = OptionTags.Lists(invite, HeaderId.Supported, SessionTimerRules.Extension) || OptionTags.Lists(invite, HeaderId.Require, SessionTimerRules.Extension);
        var request = SessionTimerRules.ForCaller(asked, callerMinSe, supports, OurSessionInterval, (int)_options.MinSessionExpires.TotalSeconds);
        State.SessionMinSe = request.MinSe;
        if (request.TooSmall)
        {
            RejectCall(422, "Session Interval Too Small"); // with our Min-SE (LegMessages.ResponseToCaller)
            return false;
        }

        (State.SessionInterval, State.CallerSessionTimer, State.CallerRefresher) = (request.Interval, supports, request.CallerRefresher);
        return true;
    }

    /// <summary>
    /// A callee leg's INVITE got 422 (RFC 4028 §7.3): a new leg to the same server asks the interval its Min-SE names.
    /// False when there is nothing to retry (no session timer, no usable Min-SE, or one we would not keep).
    /// </summary>
    private bool TryLongerSession(in Happening happening)
    {
        var leg = happening.Leg!;
        if (happening.Kind != HappeningKind.LegFailure || happening.Status != 422 || !leg.IsRinging || leg.Dial != State.DialNumber || leg.SessionExpires == 0
            || !SessionExpires.TryParse(happening.Message?.GetHeader(MinSe), out var wanted)
            || SessionTimerRules.RetryAfter422(wanted, leg.SessionExpires, OurSessionInterval) is not { } longer)
        {
            return false;
        }

        RecordLegFailure(happening);
        SendWhenStored(OpenLegs([(leg.Target, leg.Hop)], longer));
        return true;
    }

    /// <summary>The callee answered: who refreshes each side, from its 2xx and the caller's INVITE; both sides refreshed now.</summary>
    private void TakeCalleeSession(CalleeLeg leg, SipMessage answer)
    {
        if (leg.SessionExpires == 0)
        {
            State.SessionInterval = 0;
            return;
        }

        SessionExpires? answered = SessionExpires.TryParse(answer.GetHeader(HeaderId.SessionExpires), out var se) ? se : null;
        var callee = SessionTimerRules.ForCallee(answered, leg.SessionExpires);
        var (caller, _, _) = SessionTimerRules.ForCaller(new CallerSessionRequest(false, callee.Interval, State.SessionMinSe, State.CallerSessionTimer, State.CallerRefresher), callee.Interval);
        State.SessionInterval = callee.Interval;
        State.RefreshCallee = callee.WeRefresh;
        State.RefreshCaller = caller.WeRefresh;
        State.CalleeAllowsUpdate = OptionTags.Lists(answer, HeaderId.Allow, "UPDATE");
        State.CalleeSessionTimer = answered is not null;
        State.CallerRefreshedAt = State.CalleeRefreshedAt = _now;
    }

    /// <summary>A re-INVITE or UPDATE crossed the call and was answered 2xx: a refresh of both sides (RFC 4028 §10).</summary>
    private void SessionRefreshed()
    {
        if (State.SessionInterval != 0 && State.CallerRefreshedAt is not null)
        {
            State.CallerRefreshedAt = State.CalleeRefreshedAt = _now;
        }
    }

    /// <summary>The session timer fired: a side let its session expire (the call ends), or our refreshes are due.</summary>
    private void OnSessionTimer()
    {
        var interval = State.SessionInterval;
        foreach (var side in (ReadOnlySpan<CallLeg>)[CallLeg.Caller, CallLeg.Callee])
        {
            var refreshed = (side == CallLeg.Caller ? State.CallerRefreshedAt : State.CalleeRefreshedAt)!.Value;
            if (SessionTimerRules.ExpiresAt(refreshed, interval) <= _now)
            {
                _events.SessionExpired(side);
                HangUpBothLegs(CallDisposition.SessionExpired);
                return;
            }
        }

        foreach (var side in (ReadOnlySpan<CallLeg>)[CallLeg.Caller, CallLeg.Callee])
        {
            var (ours, refreshed) = side == CallLeg.Caller ? (State.RefreshCaller, State.CallerRefreshedAt!.Value) : (State.RefreshCallee, State.CalleeRefreshedAt!.Value);
            if (ours && !CallDeadlines.Refreshing(State, side) && SessionTimerRules.RefreshDue(refreshed, interval) <= _now)
            {
                SendOwnRefresh(side);
            }
        }
    }

    /// <summary>
    /// Our refresh on <paramref name="side"/>: an UPDATE without a body (RFC 4028 §7.4, §9.4); to a party that agreed to
    /// the timer but allows no UPDATE, a re-INVITE offering the last SDP we sent it, unchanged (its version too, so
    /// nothing about the media changes); to a party that knows nothing of timers and allows no UPDATE, an OPTIONS in
    /// the dialog, which proves the dialog lives (its 481 or silence ends the call) without touching its session.
    /// </summary>
    private void SendOwnRefresh(CallLeg side)
    {
        var callee = State.Answered!;
        var sdp = side == CallLeg.Caller ? State.SdpToCaller : State.SdpToCallee;
        var method = AllowsUpdate(side) ? "UPDATE" : RefreshesByReinvite(side) && sdp is not null ? "INVITE" : "OPTIONS";
        var body = method == "INVITE" ? sdp : null;
        var (message, destination) = side == CallLeg.Callee
            ? LegMessages.RequestToCallee(callee, method, relayed: null, cseq: null, sdp: body)
            : LegMessages.RequestToCaller(CallerInvite, State, method, relayed: null, cseq: null, sdp: body);
        State.Relays.Add(new PendingRelay
        {
            SentOn = side,
            Leg = callee.Number,
            CSeq = side == CallLeg.Callee ? callee.LocalCSeq : State.CallerLocalCSeq,
            Method = method,
            Own = true,
            SessionRefresh = true,
            Sdp = side == CallLeg.Callee ? body : null, // offered again if the callee's trunk challenges the re-INVITE
        });
        _step.Save = true;
        _events.SessionRefresh(side, method);
        _step.Commands.Add(new(SipCommandKind.Request, message, destination));
    }

    /// <summary>
    /// The final answer to our refresh: the side is refreshed, unless the party says the dialog is gone (481) or the
    /// request timed out (408), which ends the call as expired (RFC 4028 §10). Other refusals (405, 491, ...) still
    /// show the party holds the dialog. A re-INVITE's 2xx is acknowledged (its answer is the party's SDP as before).
    /// </summary>
    private void OwnRefreshAnswered(in Happening happening, PendingRelay relay, int status, bool noResponse)
    {
        State.Relays.RemoveAt(happening.Relay);
        _step.Save = true;
        if (noResponse || status is 481 or 408)
        {
            _events.SessionExpired(relay.SentOn);
            HangUpBothLegs(CallDisposition.SessionExpired);
            return;
        }

        if (relay.Method == "INVITE" && SipStatus.IsSuccess(status))
        {
            if (happening.Leg is { } leg && happening.Message?.Addresses(HeaderId.Contact) is [var refreshed, ..])
            {
                leg.RemoteTarget = refreshed.Uri.ToString(); // a target refresh (RFC 3261 §12.2.1.2)
            }

            _step.Commands.Add(AckRelayed(relay, answer: null));
        }

        if (relay.SentOn == CallLeg.Caller)
        {
            State.CallerRefreshedAt = _now;
        }
        else
        {
            State.CalleeRefreshedAt = _now;
        }
    }

    private bool AllowsUpdate(CallLeg side) => side == CallLeg.Caller ? OptionTags.Lists(CallerInvite, HeaderId.Allow, "UPDATE") : State.CalleeAllowsUpdate;

    /// <summary>Our refreshes to <paramref name="side"/> are re-INVITEs: we refresh it, it agreed to the timer, and it allows no UPDATE.</summary>
    private bool RefreshesByReinvite(CallLeg side)
        => State.SessionInterval > 0 && !AllowsUpdate(side)
            && (side == CallLeg.Caller ? State.RefreshCaller && State.CallerSessionTimer : State.RefreshCallee && State.CalleeSessionTimer);

    /// <summary>
    /// Notes the SDP just sent to <paramref name="to"/>, the offer of our next refresh re-INVITE to it; kept only for a
    /// side refreshed by re-INVITE, so other calls store nothing more.
    /// </summary>
    private void SdpSent(CallLeg to, ReadOnlyMemory<byte> sdp)
    {
        if (sdp.IsEmpty || !RefreshesByReinvite(to))
        {
            return;
        }

        if (to == CallLeg.Caller)
        {
            State.SdpToCaller = sdp.ToArray();
        }
        else
        {
            State.SdpToCallee = sdp.ToArray();
        }
    }

    /// <summary>The SDP a relayed message carries on: the relay's rewrite, else its own body when that is an SDP.</summary>
    private static ReadOnlyMemory<byte> SdpOf(SipMessage? message, byte[]? rewritten)
        => rewritten ?? (message is { HasBody: true } && (message.ContentType?.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase) ?? false) ? message.Body : default);
}
