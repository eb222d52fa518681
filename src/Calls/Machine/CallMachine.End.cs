using CallControl.Sip.Messages;

namespace CallControl.Calls;

// The end of the call, and the messages every phase sends: responses, BYEs, the CDR.
public sealed partial class CallMachine
{
    /// <summary>
    /// Ends the call: the step carries its CDR (written durably, idempotently, before anything else), the flow's news
    /// of the end, and the save that removes the stored state; the last messages go out only after those, so a call
    /// whose last message a party saw always has its CDR (docs/architecture.md, "Store outages").
    /// </summary>
    private void End(CallDisposition disposition, int finalStatus, HangupParty hungUpBy)
    {
        if (State.Phase == DialogPhase.Ended)
        {
            return;
        }

        var wasInProgress = State.Phase != DialogPhase.None;
        AbandonTransfer(); // a transfer's target still ringing gets its CANCEL
        State.Phase = DialogPhase.Ended;
        State.EndTime = _now;
        State.CurrentDial = null;
        State.DialDeadline = null;
        State.Disposition = disposition;
        State.FinalStatus = finalStatus;
        State.HungUpBy = hungUpBy;
        foreach (var leg in State.Legs)
        {
            leg.FinalResponse = null; // kept only while it could become the caller's
        }

        if (State.MediaAnchored)
        {
            // The relay's session goes first and its counts go into the CDR; a failed delete ends the call all the
            // same, with no media object (the relay times the session out itself).
            State.MediaAnchored = false;
            AskMedia(DeleteRequest(), result => FinishEnd(wasInProgress, result.Ok ? result.Stats : null));
            return;
        }

        FinishEnd(wasInProgress, media: null);
    }

    private void FinishEnd(bool wasInProgress, CallMediaRecord? media)
    {
        var cdr = BuildCdr() with { Media = media };
        _step.Cdr = cdr;
        _step.Ended = new CallEnd(cdr, State.Answered?.Target);
        _step.Save = true; // which, for an ended call, removes it
        _events.Ended(State.Disposition!.Value, State.FinalStatus, State.HungUpBy, wasInProgress);
    }

    private CallDetailRecord BuildCdr()
    {
        var end = State.EndTime!.Value;
        var billable = State.AnswerTime is { } answered ? (long)Math.Ceiling((end - answered).TotalSeconds) : 0;
        var routed = State.Answered ?? (State.Legs.Count > 0 ? State.Legs[^1] : null);
        return new CallDetailRecord
        {
            CallId = CallerCallId,
            Caller = CallerInvite.From.Uri.ToString(),
            CalleeDialled = CallerInvite.RequestUri,
            CalleeRouted = routed?.Uri,
            InviteTime = State.InviteTime,
            AnswerTime = State.AnswerTime,
            EndTime = end,
            BillableSeconds = State.AnswerTime is null ? 0 : Math.Max(1, billable),
            Disposition = State.Disposition!.Value,
            FinalStatus = State.FinalStatus,
            HungUpBy = State.HungUpBy,
            Route = State.Route,
            Edge = State.Edge?.EdgeId ?? "",
            Silo = _silo,
            Transfers = State.Transfers.Count > 0 ? [.. State.Transfers] : null,
        };
    }

    private static CallDisposition DispositionFor(int status) => status switch
    {
        486 or 600 => CallDisposition.Busy,
        487 => CallDisposition.Cancelled,
        408 or 480 => CallDisposition.NoAnswer,
        _ => CallDisposition.Failed,
    };

    /// <summary>A response to the caller's INVITE (the final one is recorded as the call's).</summary>
    private void RespondToCaller(int status, string? reason, SipMessage? relayed = null, uint rseq = 0, SipCommandFlags flags = SipCommandFlags.None, byte[]? sdp = null)
    {
        State.FinalStatus = status >= 200 ? status : State.FinalStatus;
        _step.Commands.Add(new(SipCommandKind.Respond, LegMessages.ResponseToCaller(CallerInvite, State, status, reason, relayed, rseq, sdp: sdp), State.CallerPeer!, flags)
        {
            Answers = CallerTransaction,
        });
    }

    /// <summary>A response to the request that happened, with our tag on its leg when the request has none.</summary>
    private void Respond(in Happening happening, int status, string? toTag)
        => _step.Commands.Add(SipCommand.Response(LegMessages.Response(happening.Request, status, toTag), happening.Request, happening.Source));

    /// <summary>The system ends an answered call: a BYE on each leg, and the end (answered, or how the session expired).</summary>
    private void HangUpBothLegs(CallDisposition disposition = CallDisposition.Answered)
    {
        SendToCaller(SipMethod.Bye);
        SendToCallee(SipMethod.Bye);
        End(disposition, 200, HangupParty.System);
    }

    /// <summary>A request to the caller whose answer changes nothing for the call (a BYE at its end).</summary>
    private void SendToCaller(SipMethod method)
    {
        var (message, hop) = ToCallerSide(method.Name());
        _step.Commands.Add(new(SipCommandKind.Request, message, hop, SipCommandFlags.NoReport));
    }

    /// <summary>A request to the answered callee whose answer changes nothing for the call.</summary>
    private void SendToCallee(SipMethod method)
    {
        var (message, hop) = LegMessages.RequestToCallee(State.Answered!, method);
        _step.Commands.Add(new(SipCommandKind.Request, message, hop, method == SipMethod.Bye ? ByeFlags : SipCommandFlags.NoReport));
    }
}
