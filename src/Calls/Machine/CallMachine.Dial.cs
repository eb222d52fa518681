using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

// Dialling: the call's start (route, then the flow's first decision), the flow's actions carried out (legs: CallMachine.Legs.cs),
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
        State.Policy = route.Policy.IsDefault ? null : route.Policy;
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
