using CallControl.Sip.Messages;

namespace CallControl.Calls;

// The classify step: every input becomes one Happening, whatever the phase. What it means in each phase is the
// phase handlers' business (Phases/).
public sealed partial class CallMachine
{
    private Happening Classify(CallInput input) => input switch
    {
        RequestArrived request => ClassifyRequest(request.Request, request.Inbound),
        ResponseArrived response => ClassifyResponse(response.Response),
        RequestFailed failed => ClassifyFailure(failed.Failure),
        AckNeverCame ack when ack.CallId == CallerCallId => new(HappeningKind.AckTimeout),
        TimerFired => ClassifyTimer(),
        MediaLost lost when State.MediaAnchored && lost.Engine == State.MediaEngine => new(HappeningKind.MediaLost),
        _ => Happening.Nothing,
    };

    private Happening ClassifyRequest(SipMessage request, SipInbound inbound)
    {
        if (ClassifyCallerSide(request, inbound) is { } callerSide)
        {
            return callerSide; // the caller transferred the call: its callee took its place (CallMachine.CallerSide.cs)
        }

        if (request.CallId == CallerCallId)
        {
            var kind = request.Method switch
            {
                SipMethod.Invite when request.To.Tag is null => HappeningKind.InitialInvite,
                SipMethod.Ack => HappeningKind.CallerAck,
                SipMethod.Cancel => HappeningKind.CallerCancel,
                SipMethod.Bye => HappeningKind.CallerBye,
                SipMethod.Prack => HappeningKind.CallerPrack,
                SipMethod.Options => HappeningKind.CallerOptions,
                not SipMethod.Unknown when request.To.Tag is not null => HappeningKind.CallerRequest,
                _ => HappeningKind.CallerUnsupported,
            };
            return new(kind, request, inbound);
        }

        if (LegFor(request.CallId) is not { } leg)
        {
            return new(HappeningKind.UnknownDialog, request, inbound);
        }

        var calleeKind = request.Method switch
        {
            SipMethod.Bye => HappeningKind.CalleeBye,
            SipMethod.Ack => HappeningKind.CalleeAck,
            SipMethod.Options => HappeningKind.CalleeOptions,
            SipMethod.Unknown => HappeningKind.CalleeUnsupported,
            _ => HappeningKind.CalleeRequest,
        };
        return new(calleeKind, request, inbound, leg);
    }

    private Happening ClassifyResponse(SipMessage response)
    {
        var relay = FindRelay(response.CallId, response.CSeq.Number, response.CSeq.MethodName, out var relayLeg);
        if (relay >= 0)
        {
            return new(HappeningKind.RelayedResponse, response, Leg: relayLeg, Relay: relay);
        }

        if (LegFor(response.CallId) is not { } leg)
        {
            return Happening.Nothing;
        }

        var status = response.StatusCode;
        if (response.CSeq.Method == SipMethod.Bye && status is 401 or 407)
        {
            return new(HappeningKind.ByeChallenged, response, Leg: leg, Status: status); // reported by the edge for this alone
        }

        if (response.CSeq.Method != SipMethod.Invite || response.CSeq.Number != leg.InviteCSeq)
        {
            return Happening.Nothing; // responses to our BYEs and CANCELs need no action, nor those to an INVITE sent again since
        }

        var kind = status switch
        {
            < 200 => HappeningKind.LegProvisional,
            < 300 => HappeningKind.LegSuccess,
            401 or 407 when leg.Status is LegStatus.Calling or LegStatus.Early => HappeningKind.LegChallenged,
            _ when leg.Status is LegStatus.Calling or LegStatus.Early => HappeningKind.LegFailure, // the edge's client transaction has ACKed it
            _ => HappeningKind.Nothing, // a final response again, to a leg that already has one
        };
        return new(kind, response, Leg: leg, Status: status);
    }

    private Happening ClassifyFailure(ClientFailure failure)
    {
        var status = failure.TransportError ? 503 : 408; // RFC 3261 §8.1.3.1
        var relay = FindRelay(failure.CallId, failure.CSeq, failure.Method, out _);
        if (relay >= 0)
        {
            return new(HappeningKind.RelayFailed, Relay: relay, Status: status);
        }

        return LegFor(failure.CallId) is { } leg && failure.Method == "INVITE" && failure.CSeq == leg.InviteCSeq
            ? new(HappeningKind.LegUnreachable, Leg: leg, Status: status)
            : Happening.Nothing;
    }

    private Happening ClassifyTimer()
    {
        var kind = State.Phase switch
        {
            DialogPhase.Calling or DialogPhase.Early when State.RingDeadline <= _now => HappeningKind.RingTimeout,
            DialogPhase.Calling or DialogPhase.Early when State.DialDeadline <= _now => HappeningKind.DialTimeout,
            DialogPhase.Answered or DialogPhase.Confirmed when State.HangupDeadline <= _now => HappeningKind.MaxDuration,
            DialogPhase.Answered or DialogPhase.Confirmed when CallDeadlines.SessionDue(State) <= _now => HappeningKind.SessionTimer,
            DialogPhase.Answered or DialogPhase.Confirmed when State.Transfer?.Deadline <= _now => HappeningKind.TransferTimeout,
            _ => HappeningKind.Nothing,
        };
        return new(kind);
    }

    private CalleeLeg? LegFor(string callId)
    {
        foreach (var leg in State.Legs)
        {
            if (leg.CallId == callId)
            {
                return leg;
            }
        }

        return null;
    }
}
