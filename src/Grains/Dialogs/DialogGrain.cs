using CallControl.Calls;
using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Grains.Routing;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using Microsoft.Extensions.Logging;
using CallControl.Grains.Persistence;
using Orleans.Runtime;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// One call as a back-to-back user agent (ARCHITECTURE.md): the caller leg (we are its UAS), the callee legs (we
/// are their UAC; one per target rung, the one that answers carries the call), the call's state machine and its
/// CDR. A call flow (<see cref="ICallFlow"/>) decides where the call goes; this grain owns the SIP. Not
/// reentrant: one SIP event at a time.
/// </summary>
/// <remarks>
/// Entry points parse the message, dispatch by leg (the grain key is the caller leg's Call-ID; each callee leg has
/// one of its own) and return the messages for the edge to send. Handlers live in the .Caller, .Callee, .Dial,
/// .Relay, .Prack, .Timers and .Park files; this file holds the entry points and the end of the call.
/// </remarks>
[GrainType("cc-dialog")]
public sealed partial class DialogGrain : Grain, IDialogGrain
{
    private readonly IPersistentState<DialogState> _store;
    private readonly ICallRouter _router;
    private readonly CallFlowRegistry _flows;
    private readonly ICdrSink _cdrs;
    private readonly CallIdCodec _callIds;
    private readonly TimeProvider _time;
    private readonly ILocalSiloDetails _silo;
    private readonly SipTimerOptions _timers;
    private readonly CallOptions _calls;
    private readonly ILogger<DialogGrain> _logger;
    private SipMessage? _callerInvite;
    private IGrainTimer? _linger;
    private WriteBehind? _persist;
    private bool _forgotten;

    /// <summary>Created by Orleans.</summary>
    public DialogGrain(
        [PersistentState("dialog", GrainStorage.Dialogs)] IPersistentState<DialogState> store,
        ICallRouter router,
        CallFlowRegistry flows,
        ICdrSink cdrs,
        CallIdCodec callIds,
        TimeProvider time,
        ILocalSiloDetails silo,
        Microsoft.Extensions.Options.IOptions<SipTimerOptions> timers,
        Microsoft.Extensions.Options.IOptions<CallOptions> calls,
        ILogger<DialogGrain> logger)
    {
        _store = store;
        _router = router;
        _flows = flows;
        _cdrs = cdrs;
        _callIds = callIds;
        _time = time;
        _silo = silo;
        _timers = timers.Value;
        _calls = calls.Value;
        _logger = logger;
    }

    private DialogState State => _store.State;

    private string CallerCallId => this.GetPrimaryKeyString();

    private SipMessage CallerInvite => _callerInvite ??= SipParser.ParseTrusted(State.CallerInvite!);

    /// <inheritdoc />
    public async Task<SipCommand[]> OnRequest(SipInbound request)
    {
        var message = SipParser.ParseTrusted(request.Message);
        var commands = new List<SipCommand>(2);
        if (message.CallId == CallerCallId)
        {
            await OnCallerRequest(message, request, commands);
        }
        else if (LegFor(message.CallId) is { } leg)
        {
            await OnCalleeRequest(leg, message, request, commands);
        }
        else
        {
            Respond(commands, message, request.Source, 481, toTag: null);
        }

        RestartParkTimer();
        return await DispatchAsync(commands, request.Edge);
    }

    /// <inheritdoc />
    public async Task<SipCommand[]> OnResponse(SipInbound response)
    {
        var message = SipParser.ParseTrusted(response.Message);
        var commands = new List<SipCommand>(2);

        // Responses to our BYEs and CANCELs (either leg) need no action, and most stay at the edge (NoReport).
        if (!TryRelayResponse(message, commands)
            && LegFor(message.CallId) is { } leg
            && message.CSeq.Method == SipMethod.Invite
            && message.CSeq.Number == 1)
        {
            await OnLegInviteResponse(leg, message, commands);
        }

        RestartParkTimer();
        return await DispatchAsync(commands, response.Edge);
    }

    /// <inheritdoc />
    public async Task<SipCommand[]> OnClientFailure(ClientFailure failure)
    {
        var commands = new List<SipCommand>(1);
        if (!TryFailRelay(failure, commands) && LegFor(failure.CallId) is { } leg && failure.Method == "INVITE" && failure.CSeq == 1)
        {
            // RFC 3261 §8.1.3.1: a timeout counts as 408, a transport error as 503.
            var status = failure.TransportError ? 503 : 408;
            Log.CalleeUnreachable(_logger, CallerCallId, leg.Uri, status);
            await OnLegFailedAsync(leg, status, response: null, commands);
        }

        RestartParkTimer();
        return await DispatchAsync(commands, carrier: null);
    }

    /// <inheritdoc />
    public async Task<SipCommand[]> OnAckTimeout(string callId, uint cseq)
    {
        var commands = new List<SipCommand>(2);
        if (callId == CallerCallId && State.Phase == DialogPhase.Answered)
        {
            // The caller never confirmed the answer (RFC 3261 §13.3.1.4): end both legs.
            Log.AckTimeout(_logger, CallerCallId);
            HangUpBothLegs(commands);
            await EndAsync(CallDisposition.Answered, 200, HangupParty.System);
        }

        RestartParkTimer();
        return await DispatchAsync(commands, carrier: null);
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

    private void RespondToCaller(List<SipCommand> commands, int status, string? reason, SipMessage? relayed = null, uint rseq = 0, SipCommandFlags flags = SipCommandFlags.None)
    {
        State.FinalStatus = status >= 200 ? status : State.FinalStatus;
        commands.Add(new(SipCommandKind.Respond, LegMessages.ResponseToCaller(CallerInvite, State, status, reason, relayed, rseq), State.CallerPeer!, flags));
    }

    /// <summary>A BYE on each leg: the system ends an answered call.</summary>
    private void HangUpBothLegs(List<SipCommand> commands)
    {
        var (toCaller, callerHop) = LegMessages.RequestToCaller(CallerInvite, State, SipMethod.Bye);
        var (toCallee, calleeHop) = LegMessages.RequestToCallee(State.Answered!, SipMethod.Bye);
        commands.Add(new(SipCommandKind.Request, toCaller, callerHop, SipCommandFlags.NoReport));
        commands.Add(new(SipCommandKind.Request, toCallee, calleeHop, SipCommandFlags.NoReport));
    }

    private static void Respond(List<SipCommand> commands, SipMessage request, SipPeer source, int status, string? toTag, string? reason = null)
        => commands.Add(new(SipCommandKind.Respond, LegMessages.Response(request, status, toTag, reason), source));

    /// <summary>
    /// Ends the call: the CDR is written (durably, idempotently) or, with the CDR store down, held in the silo's
    /// outbox until the store takes it; then the call's stored state is removed (write-behind: retried when the store
    /// is down). Only then do the last messages go out, so a call whose last message a party saw always has its CDR
    /// while this silo lives (docs/architecture.md, "Store outages"). The flow hears of it last.
    /// </summary>
    /// <remarks>
    /// The ended state stays in this activation only, for the retransmissions of the next 64×T1: stored, it would
    /// serve just the rare retransmission that reaches another activation after this silo failed, which then gets 481
    /// (the dialog is gone, as RFC 3261 §15.1.2 lets a BYE's sender take it), and its CDR is already written. That
    /// spares a state write per call (docs/performance.md).
    /// </remarks>
    private async Task EndAsync(CallDisposition disposition, int finalStatus, HangupParty hungUpBy)
    {
        if (State.Phase == DialogPhase.Ended)
        {
            return;
        }

        if (State.Phase != DialogPhase.None)
        {
            CallMetrics.Active.Add(-1);
        }

        CallMetrics.Final(finalStatus);
        State.Phase = DialogPhase.Ended;
        State.EndTime = _time.GetUtcNow();
        State.CurrentDial = null;
        State.DialDeadline = null;
        _callTimer?.Dispose();
        _callTimer = null;
        StopParkTimer();
        State.Disposition = disposition;
        State.FinalStatus = finalStatus;
        State.HungUpBy = hungUpBy;
        foreach (var leg in State.Legs)
        {
            leg.FinalResponse = null; // kept only while it could become the caller's
        }

        var cdr = BuildCdr();
        await _cdrs.WriteAsync(cdr, CancellationToken.None);
        State.CdrWritten = true;
        await TellFlowEndedAsync(cdr);
        await SaveAsync(); // which, for an ended call, removes it
        Log.CallEnded(_logger, CallerCallId, disposition, finalStatus, hungUpBy);

        LingerThenForget();
    }

    /// <summary>Keeps the ended state in memory while retransmissions can still arrive (64×T1), then forgets the call.</summary>
    private void LingerThenForget()
        => _linger ??= this.RegisterGrainTimer(ForgetAsync, new GrainTimerCreationOptions(_timers.SixtyFourT1, Timeout.InfiniteTimeSpan));

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        _forgotten = true;
        if (await Persist.ClearAsync(cancellationToken)) // nothing left to do, unless an ended state was read from the store
        {
            DeactivateOnIdle();
        }

        // else the store is down: the clear is retried, and the grain stays until it is done (Persist's cleaned)
    }

    /// <summary>Where every save goes: the store now, or the retry timer when the store is down (see <see cref="WriteBehind"/>).</summary>
    private WriteBehind Persist => _persist ??= new WriteBehind(
        this,
        async cancellationToken =>
        {
            await SyncWakeUpAsync(); // the reminder is part of what must match the state (see .Timers)
            await _store.WriteStateAsync(cancellationToken);
        },
        async cancellationToken =>
        {
            await SyncWakeUpAsync();
            if (_store.RecordExists)
            {
                var ended = _store.State;
                await _store.ClearStateAsync(cancellationToken);
                _store.State = ended; // answers the retransmissions until the call is forgotten (see EndAsync)
            }
        },
        cleaned: () =>
        {
            if (_forgotten)
            {
                DeactivateOnIdle();
            }
            else
            {
                ParkIfWaiting();
            }
        },
        conflicted: DeactivateOnIdle,
        _logger,
        $"Call {CallerCallId}");

    /// <summary>
    /// Saves the state (and the wake-up reminder); false when the store is down and the save waits for the retry timer.
    /// An ended call is never stored: saving it removes its row (see <see cref="EndAsync"/>).
    /// </summary>
    private Task<bool> SaveAsync()
        => State.Phase == DialogPhase.Ended ? Persist.ClearAsync(CancellationToken.None) : Persist.SaveAsync(CancellationToken.None);

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _persist?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

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
            Silo = _silo.Name,
        };
    }
}
