using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

// Dialling: the call's start (route, then the flow's first decision), what the flow asks for becoming callee legs,
// and how they end becoming the flow's next question.
public sealed partial class CallMachine
{
    private void StartCall(SipMessage invite, SipInbound inbound)
    {
        State.CallerInvite = inbound.Message;
        State.CallerPeer = inbound.Source;
        State.Edge = inbound.Edge;
        State.CallerTag = SipIds.NewTag();
        State.InviteTime = _now;
        _callerInvite = invite;
        _events.Started(invite.RequestUri, inbound.Source);

        // The edge has screened the request (scheme, Require, body type, Max-Forwards: RequestScreening).
        if (!SipUri.TryParse(invite.RequestUri, out var dialled))
        {
            RejectCall(416, null);
            return;
        }

        if (!TakeCallerSession(invite))
        {
            return; // 422: its interval is below our minimum (RFC 4028 §9)
        }

        _dialled = dialled;
        Ask(new RouteQuestion(dialled, invite.From.Uri));
    }

    private void OnRouted(RouteDecision? route)
    {
        var dialled = _dialled!;
        _dialled = null;
        if (route is null)
        {
            RejectCall(404, null);
            return;
        }

        State.Route = route.RouteName;
        State.Flow = route.Flow;
        State.FlowParameters = route.FlowParameters;
        State.RouteTargets = [.. route.Targets];
        State.MediaCallee = route.Media;
        State.Facts = CallFactsOf(CallerInvite, dialled, State.CallerPeer!, route.RouteName);
        State.Phase = DialogPhase.Calling;
        _events.Routed();
        StartCallTimer();
        Ask(new FlowQuestion(Outcome: null));
    }

    private void RejectCall(int status, string? reason)
    {
        RespondToCaller(status, reason);
        End(DispositionFor(status), status, HangupParty.None);
    }

    /// <summary>Carries out a flow's action.</summary>
    private void FollowFlow(FlowAction action)
    {
        State.CurrentDial = null;
        switch (action)
        {
            case Dial { Targets.Count: > 0 } dial:
                State.DialNumber++;
                State.CurrentDial = dial;
                State.DialCursor = 0;
                State.MaxDuration = dial.MaxDuration;
                StartLegs(dial.Mode == DialMode.Parallel ? dial.Targets : [dial.Targets[0]], dial.RingTimeout);
                break;
            case Reject reject:
                RejectCall(reject.Status is >= 300 and < 700 ? reject.Status : 500, reject.Reason);
                break;
            case Redirect redirect:
                State.FinalStatus = 302;
                _step.Commands.Add(SipCommand.Response(LegMessages.Redirect(CallerInvite, State, redirect.Contacts), CallerInvite, State.CallerPeer!));
                End(CallDisposition.Failed, 302, HangupParty.None);
                break;
            default: // GiveUp, or a dial with nothing to ring
                GiveUp();
                break;
        }
    }

    /// <summary>
    /// Opens a callee leg per target: a Call-ID, tags and branch of its own. Durable before any leg's INVITE goes
    /// out (the step saves and asks whether it was stored), so a retried INVITE finds this state and forks no second
    /// set, and a silo failure loses no leg.
    /// </summary>
    private void StartLegs(IReadOnlyList<DialTarget> targets, TimeSpan? ringTimeout)
    {
        if (AnchorCallerOffer(() => StartLegs(targets, ringTimeout)))
        {
            return; // the legs start once the media relay has rewritten the offer (CallMachine.Media.cs)
        }

        var started = OpenLegs([.. targets.Select(t => (t, 0))]);
        if (started.Count == 0)
        {
            OnRingEnded(); // nothing to ring here: the next target, or the flow's turn
            return;
        }

        State.DialDeadline = ringTimeout is { } ring ? _now + ring : null;
        SendWhenStored(started);
    }

    /// <summary>
    /// A leg's target has more servers (DNS gave several: RFC 3263 §4.3) and this one gave a 503 or no answer: a new leg
    /// goes to the next, within the same ring. False when there is none to go to, or the failure is another.
    /// </summary>
    private bool TryNextHop(in Happening happening)
    {
        var leg = happening.Leg!;
        if (!leg.IsRinging || leg.Dial != State.DialNumber || leg.Target.Hops is not { } hops || leg.Hop + 1 >= hops.Count
            || (happening.Kind != HappeningKind.LegUnreachable && happening.Status != 503))
        {
            return false;
        }

        RecordLegFailure(happening);
        var next = OpenLegs([(leg.Target, leg.Hop + 1)]);
        _events.NextHop(leg.Uri, happening.Status, hops[leg.Hop + 1].ToString());
        SendWhenStored(next);
        return true;
    }

    /// <summary>
    /// Opens a callee leg per target and server (its index in the target's <see cref="DialTarget.Hops"/>): a Call-ID,
    /// tags and branch of its own, and its INVITE. A target that cannot be dialled (a bad URI, no server in DNS) opens
    /// none, or a failed one that the flow's outcome counts.
    /// </summary>
    private List<(CalleeLeg Leg, byte[] Invite)> OpenLegs(IReadOnlyList<(DialTarget Target, int Hop)> targets, int? sessionExpires = null)
    {
        var invite = CallerInvite;
        var body = State.MediaOffer is { } anchored ? anchored : invite.Body;
        var dialledUser = State.Facts?.DialledUser;
        var started = new List<(CalleeLeg Leg, byte[] Invite)>(targets.Count);
        foreach (var (target, hop) in targets)
        {
            if (!SipUri.TryParse(target.Uri, out var uri))
            {
                _events.BadTarget(target.Uri);
                continue;
            }

            if (uri.User is null && dialledUser is not null)
            {
                uri = uri.WithUser(dialledUser); // a trunk keeps the dialled number
            }

            var leg = new CalleeLeg
            {
                Number = State.Legs.Count,
                Dial = State.DialNumber,
                SentAt = _now,
                Target = target,
                Uri = uri.ToString(),
                Hop = hop,
                SessionExpires = sessionExpires ?? State.SessionInterval,
                SessionMinSe = sessionExpires ?? State.SessionMinSe, // after a 422, its Min-SE (RFC 4028 §7.3)
                Peer = target.Hop ?? (target.Hops is { Count: > 0 } hops ? hops[hop] : SipTargets.For(uri)),
                Edge = target.Hop is not null && target.HopEdge is { } holder ? holder : State.Edge!,
                CallId = _callIds.Encode(CallerCallId),
            };
            State.Legs.Add(leg);
            if (target.Hops is { Count: 0 })
            {
                // DNS found no server for it: unreachable, as if its INVITE had got no answer (RFC 3263 §4.3's end).
                _events.LegUnreachable(leg.Uri, 503);
                (leg.Status, leg.FinalStatus, leg.NoResponse) = (LegStatus.Failed, 503, true);
                continue;
            }

            // The INVITE itself is not kept in the state (every later request on the leg is built from the identifiers
            // the leg keeps): it would only make each of the call's writes larger.
            started.Add((leg, LegMessages.CalleeInvite(invite, leg, SipIds.NewBranch(), SipIds.NewTag(), body)));
        }

        return started;
    }

    /// <summary>
    /// New legs' INVITEs go once the legs are durable: the step saves and asks whether it was stored, so a retried
    /// INVITE finds this state and forks no second set, and a silo failure loses no leg.
    /// </summary>
    private void SendWhenStored(List<(CalleeLeg Leg, byte[] Invite)> started)
    {
        _unsent = started;
        _step.Save = true;
        Ask(StoreQuestion.Instance);
    }

    /// <summary>The new legs' save is done: their INVITEs go, unless it is a new call the store could not take and the policy refuses those.</summary>
    private void OnLegsSaved(StateSaved saved)
    {
        var legs = _unsent!;
        _unsent = null;
        if (!saved.Stored && !saved.EverStored && _options.StoreOutagePolicy == StoreOutagePolicy.Reject)
        {
            RefuseForStoreOutage(legs);
            return;
        }

        foreach (var (leg, invite) in legs)
        {
            _step.Commands.Add(new(SipCommandKind.Request, invite, leg.Peer));
        }
    }

    /// <summary>
    /// A new call whose first write failed has nothing stored that another silo could carry on from: it is refused
    /// before any callee rings, 503 with Retry-After (RFC 3261 §21.5.4; CallControl:Calls:StoreOutagePolicy).
    /// </summary>
    private void RefuseForStoreOutage(List<(CalleeLeg Leg, byte[] Invite)> unsent)
    {
        foreach (var (leg, _) in unsent)
        {
            leg.Status = LegStatus.Failed; // its INVITE never went out: nothing to CANCEL
            leg.FinalStatus = 503;
        }

        var seconds = (int)Math.Ceiling(_options.StoreOutageRetryAfter.TotalSeconds);
        _events.RefusedForStoreOutage(seconds);
        State.FinalStatus = 503;
        _step.Commands.Add(SipCommand.Response(
            LegMessages.ResponseToCaller(CallerInvite, State, 503, null, retryAfter: seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)), CallerInvite, State.CallerPeer!));
        End(CallDisposition.Failed, 503, HangupParty.None);
    }

    /// <summary>A leg's INVITE failed (a final 3xx–6xx, no response, or the callee's BYE of its early dialog): recorded on the leg.</summary>
    private void RecordLegFailure(in Happening happening)
    {
        var leg = happening.Leg!;
        var response = happening.Kind == HappeningKind.LegFailure ? happening.Message : null;
        var status = happening.Status;
        if (happening.Kind == HappeningKind.LegUnreachable)
        {
            _events.LegUnreachable(leg.Uri, status);
        }

        leg.Status = LegStatus.Failed;
        leg.FinalStatus = status;
        leg.NoResponse = response is null && status is 408 or 503;
        leg.FinalResponse = response?.Buffer.ToArray();
    }

    /// <summary>The current target (sequential) or group (parallel) ended unanswered: the next target, or the flow's turn.</summary>
    private void OnRingEnded()
    {
        if (State.CurrentDial is { Mode: DialMode.Sequential } dial && State.DialCursor + 1 < dial.Targets.Count)
        {
            State.DialCursor++;
            StartLegs([dial.Targets[State.DialCursor]], dial.RingTimeout);
            return;
        }

        OnDialEnded();
    }

    /// <summary>No target of the current dial answered: the flow hears how each ended and decides.</summary>
    private void OnDialEnded()
    {
        var outcome = OutcomeOf(State.DialNumber);
        State.DialDeadline = null; // CurrentDial stays until the flow answers: it is the flow's LastDial
        _events.DialFailed(outcome.Result, outcome.Status);
        Ask(new FlowQuestion(outcome));
    }

    /// <summary>The current ring's timeout: its legs are given up (CANCEL), and it counts as no answer.</summary>
    private void OnDialTimeout()
    {
        State.DialDeadline = null;
        foreach (var leg in State.Legs)
        {
            if (leg.Dial == State.DialNumber && leg.IsRinging)
            {
                Abandon(leg);
                leg.Status = LegStatus.Failed;
                leg.FinalStatus = 480;
            }
        }

        OnRingEnded();
    }

    /// <summary>Nothing more to try: the caller gets the best final response a leg got (RFC 3261 §16.7 step 6), or 480.</summary>
    private void GiveUp()
    {
        var best = BestOf(State.Legs);
        if (best?.FinalResponse is { } bytes)
        {
            var response = SipParser.ParseTrusted(bytes);
            RespondToCaller(response.StatusCode, response.ReasonPhrase, response);
        }
        else
        {
            RespondToCaller(best?.FinalStatus ?? 480, null);
        }

        End(DispositionFor(State.FinalStatus), State.FinalStatus, HangupParty.None);
    }

    /// <summary>
    /// Ends a call that is still ringing: the caller gets <paramref name="status"/>, every ringing leg a CANCEL, at
    /// once if it has sent a provisional, else on its first one (RFC 3261 §9.1).
    /// </summary>
    private void StopRinging(int status, CallDisposition disposition, HangupParty by)
    {
        RespondToCaller(status, null);
        AbandonRingingLegs();
        End(disposition, status, by);
    }

    private void AbandonRingingLegs()
    {
        foreach (var leg in State.Legs)
        {
            if (leg.IsRinging)
            {
                Abandon(leg);
            }
        }
    }

    /// <summary>
    /// How long after a leg's INVITE its CANCEL goes without a provisional. RFC 3261 §9.1 has a CANCEL wait for one,
    /// so that it cannot overtake its INVITE; two seconds later (by then sent three times over UDP) it has arrived if it ever will (Kamailio's
    /// cancel_b_method 2 sends at once). The provisional that would release the CANCEL can be lost for good: sent to an
    /// edge that died with the INVITE's transaction (the callee sends it once, to that edge's address), and then the
    /// callee would ring on after the call ended, for ever.
    /// </summary>
    internal static readonly TimeSpan CancelWithoutProvisionalAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Gives a ringing leg up: CANCEL now if it has sent a provisional, or if its INVITE went out long enough ago
    /// (<see cref="CancelWithoutProvisionalAfter"/>); else when its first provisional comes.
    /// </summary>
    private void Abandon(CalleeLeg leg)
    {
        leg.Abandoned = true;
        if (leg.Status == LegStatus.Early || _now - leg.SentAt >= CancelWithoutProvisionalAfter)
        {
            _step.Commands.Add(CancelOf(leg));
        }
        else
        {
            leg.CancelPending = true;
        }
    }

    /// <summary>A leg abandoned before its first provisional sent one: now its CANCEL can go (RFC 3261 §9.1). False when none was pending.</summary>
    private bool SendPendingCancel(CalleeLeg leg)
    {
        if (!leg.CancelPending)
        {
            return false;
        }

        leg.CancelPending = false;
        _step.Commands.Add(CancelOf(leg));
        return true;
    }

    /// <summary>The CANCEL for a leg's INVITE (same branch: RFC 3261 §9.1).</summary>
    private static SipCommand CancelOf(CalleeLeg leg) => new(SipCommandKind.Request, LegMessages.Cancel(leg), leg.Peer, SipCommandFlags.NoReport);

    /// <summary>How dial <paramref name="number"/>'s legs ended, summed up for the flow.</summary>
    private DialOutcome OutcomeOf(int number)
    {
        var legs = State.Legs.FindAll(l => l.Dial == number);
        var targets = legs.ConvertAll(l => new TargetOutcome(l.Target, DialOutcome.ResultFor(l.FinalStatus, l.NoResponse), l.FinalStatus));
        var best = BestOf(legs);
        var status = best?.FinalStatus ?? 480;
        var result = targets.Exists(t => t.Result == DialResult.Busy) && status < 600 ? DialResult.Busy : DialOutcome.ResultFor(status, best?.NoResponse ?? false);
        return new DialOutcome(result, result == DialResult.Busy ? 486 : status, targets);
    }

    /// <summary>
    /// RFC 3261 §16.7 step 6: a 6xx if there is one, else the lowest class; within a class the first received,
    /// except that a real response beats a timeout.
    /// </summary>
    private static CalleeLeg? BestOf(List<CalleeLeg> legs)
    {
        CalleeLeg? best = null;
        foreach (var leg in legs)
        {
            if (leg.Status != LegStatus.Failed || leg.FinalStatus == 0)
            {
                continue;
            }

            if (best is null || Rank(leg) < Rank(best))
            {
                best = leg;
            }
        }

        return best;

        static int Rank(CalleeLeg leg) => (leg.FinalStatus >= 600 ? 0 : leg.FinalStatus / 100 * 2) + (leg.NoResponse ? 1 : 0);
    }

    private static CallFacts CallFactsOf(SipMessage invite, SipUri dialled, SipPeer source, string route)
    {
        // Every line of a visible header, joined as one comma list (a Diversion chain may span several lines).
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in invite.HeaderLines())
        {
            if (Array.Find(FlowVisibleHeaders, h => h.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } canonical)
            {
                headers[canonical] = headers.TryGetValue(canonical, out var earlier) ? earlier + ", " + value : value;
            }
        }

        var asserted = invite.Addresses(HeaderId.PAssertedIdentity) is [var identity, ..] ? identity.Uri.ToString() : null;
        return new CallFacts(invite.CallId, invite.From.Uri.ToString(), invite.From.DisplayName, invite.RequestUri, dialled.User, source, asserted, route)
        {
            Headers = headers,
            CallerUser = invite.From.Uri.User,
        };
    }

    // What a flow may read of the INVITE: what describes the call and its caller, never what routes it.
    private static readonly string[] FlowVisibleHeaders =
        ["Subject", "Priority", "User-Agent", "Alert-Info", "Call-Info", "Privacy", "P-Asserted-Identity", "Diversion", "History-Info", "Organization"];
}
