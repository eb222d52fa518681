using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

// Callee legs: opening them for the flow's targets (one per target, and one per next server of a target DNS located),
// making them durable before their INVITEs go, and recording how each failed.
public sealed partial class CallMachine
{
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
        var transfer = State.Transfer is { } pending && pending.Dial == State.DialNumber ? pending : null; // a transfer's legs (CallMachine.Transfer.cs)
        var body = transfer?.Offer is { } offer ? offer : State.MediaOffer is { } anchored ? anchored : invite.Body;
        var dialledUser = transfer is not null ? transfer.User : State.Facts?.DialledUser;
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

            if (State.Policy is { } policy)
            {
                uri = uri.WithUser(policy.Normalise(uri.User)); // the route's number rules (E.164 toward its trunk)
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
            started.Add((leg, LegMessages.CalleeInvite(invite, leg, SipIds.NewBranch(), SipIds.NewTag(), body, State.Policy)));
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
}
