using CallControl.Calls;
using CallControl.Grains.Flows;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Grains.Dialogs;

// Dialling: what the flow asks for becomes callee legs; how they end becomes the flow's next question.
public sealed partial class DialogGrain
{
    /// <summary>Carries out a flow's action.</summary>
    private async Task FollowFlowAsync(FlowAction action, List<SipCommand> commands)
    {
        State.CurrentDial = null;
        switch (action)
        {
            case Dial { Targets.Count: > 0 } dial:
                State.DialNumber++;
                State.CurrentDial = dial;
                State.DialCursor = 0;
                State.MaxDuration = dial.MaxDuration;
                if (dial.Mode == DialMode.Parallel)
                {
                    await StartLegsAsync(dial.Targets, dial.RingTimeout, commands);
                }
                else
                {
                    await StartLegsAsync([dial.Targets[0]], dial.RingTimeout, commands);
                }

                break;
            case Reject reject:
                await RejectCallAsync(commands, reject.Status is >= 300 and < 700 ? reject.Status : 500, reject.Reason);
                break;
            case Redirect redirect:
                State.FinalStatus = 302;
                commands.Add(new(SipCommandKind.Respond, LegMessages.Redirect(CallerInvite, State, redirect.Contacts), State.CallerPeer!));
                await EndAsync(CallDisposition.Failed, 302, HangupParty.None);
                break;
            default: // GiveUp, or a dial with nothing to ring
                await GiveUpAsync(commands);
                break;
        }
    }

    /// <summary>
    /// Opens a callee leg per target: a Call-ID, tags and branch of its own. Durable before any leg's INVITE goes
    /// out, so a retried INVITE finds this state and forks no second set, and a silo failure loses no leg.
    /// </summary>
    private async Task StartLegsAsync(IReadOnlyList<DialTarget> targets, TimeSpan? ringTimeout, List<SipCommand> commands)
    {
        var invite = CallerInvite;
        var dialledUser = State.Facts?.DialledUser;
        var started = new List<CalleeLeg>(targets.Count);
        foreach (var target in targets)
        {
            if (!SipUri.TryParse(target.Uri, out var uri))
            {
                Log.BadTarget(_logger, CallerCallId, target.Uri);
                continue;
            }

            if (uri.User is null && dialledUser is not null)
            {
                uri = uri.WithUser(dialledUser); // a trunk keeps the dialled number
            }

            var peer = target.Hop ?? SipTargets.For(uri);
            var leg = new CalleeLeg
            {
                Number = State.Legs.Count,
                Dial = State.DialNumber,
                Target = target,
                Uri = uri.ToString(),
                Peer = peer,
                Edge = target.Hop is not null && target.HopEdge is { } holder ? holder : State.Edge!,
                CallId = _callIds.Encode(CallerCallId),
            };
            leg.Invite = LegMessages.CalleeInvite(invite, leg, SipIds.NewBranch(), SipIds.NewTag());
            State.Legs.Add(leg);
            started.Add(leg);
        }

        if (started.Count == 0)
        {
            await OnDialEndedAsync(commands);
            return;
        }

        State.DialDeadline = ringTimeout is { } ring ? _time.GetUtcNow() + ring : null;
        ArmCallTimer();
        if (!await SaveAsync() && RefusesUnstoredCall())
        {
            await RefuseForStoreOutageAsync(started, commands);
            return;
        }

        foreach (var leg in started)
        {
            commands.Add(new(SipCommandKind.Request, leg.Invite, leg.Peer));
        }
    }

    /// <summary>A leg's INVITE failed (a final 3xx–6xx, or no response): the call goes on with its other legs, or the flow decides.</summary>
    private async Task OnLegFailedAsync(CalleeLeg leg, int status, SipMessage? response, List<SipCommand> commands)
    {
        var wasRinging = leg.IsRinging;
        leg.Status = LegStatus.Failed;
        leg.FinalStatus = status;
        leg.NoResponse = response is null && status is 408 or 503;
        leg.FinalResponse = response is null ? null : response.Buffer.ToArray();
        if (!wasRinging || State.Phase is not (DialogPhase.Calling or DialogPhase.Early) || leg.Dial != State.DialNumber)
        {
            return; // a leg already given up: its end changes nothing
        }

        if (State.Legs.Exists(l => l.Dial == State.DialNumber && l.IsRinging))
        {
            return; // others of this dial still ring
        }

        await OnRingEndedAsync(commands);
    }

    /// <summary>The current target (sequential) or group (parallel) ended unanswered: the next target, or the flow's turn.</summary>
    private async Task OnRingEndedAsync(List<SipCommand> commands)
    {
        if (State.CurrentDial is { Mode: DialMode.Sequential } dial && State.DialCursor + 1 < dial.Targets.Count)
        {
            State.DialCursor++;
            await StartLegsAsync([dial.Targets[State.DialCursor]], dial.RingTimeout, commands);
            return;
        }

        await OnDialEndedAsync(commands);
    }

    /// <summary>No target of the current dial answered: the flow hears how each ended and decides.</summary>
    private async Task OnDialEndedAsync(List<SipCommand> commands)
    {
        var outcome = OutcomeOf(State.DialNumber);
        State.DialDeadline = null; // CurrentDial stays until the flow answers: it is the flow's LastDial
        Log.DialFailed(_logger, CallerCallId, outcome.Result, outcome.Status);
        await FollowFlowAsync(await AskFlowAsync((flow, context) => flow.OnDialFailedAsync(context, outcome)), commands);
    }

    /// <summary>The current ring's timeout: its legs are given up (CANCEL), and it counts as no answer.</summary>
    private async Task OnDialTimeoutAsync(List<SipCommand> commands)
    {
        State.DialDeadline = null;
        foreach (var leg in State.Legs)
        {
            if (leg.Dial == State.DialNumber && leg.IsRinging)
            {
                Abandon(leg, commands);
                leg.Status = LegStatus.Failed;
                leg.FinalStatus = 480;
            }
        }

        await OnRingEndedAsync(commands);
    }

    /// <summary>Nothing more to try: the caller gets the best final response a leg got (RFC 3261 §16.7 step 6), or 480.</summary>
    private async Task GiveUpAsync(List<SipCommand> commands)
    {
        var best = BestFailedLeg();
        if (best?.FinalResponse is { } bytes)
        {
            var response = SipParser.ParseTrusted(bytes);
            RespondToCaller(commands, response.StatusCode, response.ReasonPhrase, response);
        }
        else
        {
            RespondToCaller(commands, best?.FinalStatus ?? 480, null);
        }

        await EndAsync(DispositionFor(State.FinalStatus), State.FinalStatus, HangupParty.None);
    }

    /// <summary>
    /// Ends a call that is still ringing: the caller gets <paramref name="status"/>, every ringing leg a CANCEL, at
    /// once if it has sent a provisional, else on its first one (RFC 3261 §9.1).
    /// </summary>
    private async Task StopRingingAsync(List<SipCommand> commands, int status, CallDisposition disposition, HangupParty by)
    {
        RespondToCaller(commands, status, null);
        AbandonRingingLegs(commands);
        await EndAsync(disposition, status, by);
    }

    private void AbandonRingingLegs(List<SipCommand> commands)
    {
        foreach (var leg in State.Legs)
        {
            if (leg.IsRinging)
            {
                Abandon(leg, commands);
            }
        }
    }

    /// <summary>Gives a ringing leg up: CANCEL now if it has sent a provisional, else when it does.</summary>
    private static void Abandon(CalleeLeg leg, List<SipCommand> commands)
    {
        leg.Abandoned = true;
        if (leg.Status == LegStatus.Early)
        {
            commands.Add(CancelLeg(leg));
        }
        else
        {
            leg.CancelPending = true;
        }
    }

    /// <summary>The CANCEL for a leg's INVITE (same branch: RFC 3261 §9.1).</summary>
    private static SipCommand CancelLeg(CalleeLeg leg)
        => new(SipCommandKind.Request, SipRequests.CreateCancel(SipParser.ParseTrusted(leg.Invite)), leg.Peer, SipCommandFlags.NoReport);

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

    private CalleeLeg? BestFailedLeg() => BestOf(State.Legs);

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
