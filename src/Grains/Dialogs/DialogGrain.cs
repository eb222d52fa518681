using CallControl.Calls;
using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Grains.Persistence;
using CallControl.Grains.Routing;
using CallControl.Media;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// Hosts one call's <see cref="CallMachine"/> (ARCHITECTURE.md: a dialog grain per call): parses each message once,
/// runs it through the machine, answers the machine's questions (the router, the call flow, the store), carries out
/// its steps (the CDR, the flow's news, the state's saves) and hands the messages to the edges. What a call does is
/// the machine's (src/Calls); this grain owns activation and persistence, timers and reminders (.Timers), parking
/// (.Park) and handing messages to the edges (EdgeDispatch). Not reentrant: one input at a time.
/// </summary>
[GrainType("cc-dialog")]
public sealed partial class DialogGrain : Grain, IDialogGrain, ICallHost
{
    private readonly IPersistentState<DialogState> _store;
    private readonly ICallRouter _router;
    private readonly IRouteCredentials _credentials;
    private readonly CallFlowRegistry _flows;
    private readonly ICdrSink _cdrs;
    private readonly CallIdCodec _callIds;
    private readonly TimeProvider _time;
    private readonly ILocalSiloDetails _silo;
    private readonly SipTimerOptions _timers;
    private readonly CallOptions _calls;
    private readonly CallMetrics _metrics;
    private readonly ILogger<DialogGrain> _logger;
    private readonly CallMedia _media;
    private readonly DialTargetLocator _targets;
    private readonly bool _anchorMedia;
    private CallMachine? _machine;
    private CallFlowHost? _flowHost;
    private EdgeDispatch? _edges;
    private IGrainTimer? _linger;
    private WriteBehind? _persist;
    private bool _forgotten;

    /// <summary>Created by Orleans.</summary>
    public DialogGrain(
        [PersistentState("dialog", GrainStorage.Dialogs)] IPersistentState<DialogState> store,
        ICallRouter router,
        IRouteCredentials credentials,
        CallFlowRegistry flows,
        ICdrSink cdrs,
        CallIdCodec callIds,
        TimeProvider time,
        ILocalSiloDetails silo,
        IOptions<SipTimerOptions> timers,
        IOptions<CallOptions> calls,
        CallMetrics metrics,
        CallMediaMetrics mediaMetrics,
        INgClient ng,
        RtpenginePool rtpengines,
        IOptions<MediaOptions> media,
        Media.IMediaSessionIndex mediaSessions,
        DialTargetLocator targets,
        ILogger<DialogGrain> logger)
    {
        _targets = targets;
        _media = new CallMedia(ng, rtpengines, mediaSessions, mediaMetrics, logger);
        _anchorMedia = media.Value.Mode == MediaMode.Anchor;
        _metrics = metrics;
        _store = store;
        _router = router;
        _credentials = credentials;
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

    private CallMachine Machine => _machine ??= new CallMachine(CallerCallId, () => _store.State, _calls, _silo.Name, _callIds, new CallEventLog(_logger, _metrics, CallerCallId), _anchorMedia);

    /// <inheritdoc />
    public Task<SipCommand[]> OnRequest(SipInbound request)
        => RunAsync(new RequestArrived(SipParser.ParseTrusted(request.Message), request), request.Edge);

    /// <inheritdoc />
    public Task<SipCommand[]> OnResponse(SipInbound response)
        => RunAsync(new ResponseArrived(SipParser.ParseTrusted(response.Message)), response.Edge);

    /// <inheritdoc />
    public Task<SipCommand[]> OnClientFailure(ClientFailure failure) => RunAsync(new RequestFailed(failure), carrier: null);

    /// <inheritdoc />
    public Task<SipCommand[]> OnAckTimeout(string callId, uint cseq) => RunAsync(new AckNeverCame(callId, cseq), carrier: null);

    /// <inheritdoc />
    public async Task<Media.MediaLostOutcome> OnMediaLost(string engine)
    {
        if (State.Phase is DialogPhase.None or DialogPhase.Ended)
        {
            if (State.Phase == DialogPhase.None)
            {
                DeactivateOnIdle(); // activated only to be asked: there is no such call
            }

            return Media.MediaLostOutcome.Gone;
        }

        if (State.MediaEngine != engine || !State.MediaAnchored)
        {
            return Media.MediaLostOutcome.Moved; // a pass before this one moved it
        }

        var commands = await StepAsync(new MediaLost(engine));
        RestartParkTimer();
        await Edges.SendAsync(commands, State, CancellationToken.None);
        return State.MediaEngine != engine ? Media.MediaLostOutcome.Moved : Media.MediaLostOutcome.Left;
    }

    private async Task<SipCommand[]> RunAsync(CallInput input, EdgeInfo? carrier)
    {
        var commands = await StepAsync(input);
        RestartParkTimer();
        return await Edges.SplitAsync(commands, carrier, State);
    }

    /// <summary>Runs one input through the machine (<see cref="CallTurn"/>), then stops or re-arms the call's timer for what is due next.</summary>
    private async Task<List<SipCommand>> StepAsync(CallInput input)
    {
        var commands = await CallTurn.RunAsync(Machine, input, this);
        if (State.Phase == DialogPhase.Ended)
        {
            OnEnded();
        }
        else if (CallDeadlines.Next(State) != _armedFor)
        {
            ArmCallTimer();
        }

        return commands;
    }

    DateTimeOffset ICallHost.Now => _time.GetUtcNow();

    bool ICallHost.EverStored => _store.RecordExists;

    ValueTask<RouteDecision?> ICallHost.RouteAsync(SipUri dialled, SipUri caller) => _router.RouteAsync(dialled, caller, CancellationToken.None);

    async ValueTask<FlowAction> ICallHost.DecideAsync(DialOutcome? outcome)
        => await _targets.LocateAsync(await Flows.DecideAsync(CallerCallId, State, outcome), CancellationToken.None);

    ValueTask<MediaResult> ICallHost.MediaAsync(MediaRequest request) => _media.RunAsync(CallerCallId, State, request);

    async ValueTask<string?> ICallHost.AuthorizeAsync(AuthQuestion question)
    {
        var answer = question.Answer(await _credentials.FindAsync(question.Route, CancellationToken.None));
        if (answer is not null)
        {
            Log.TrunkAnswered(_logger, CallerCallId, question.Method, question.Route, answer.Username, answer.Realm);
        }

        return answer?.ToHeaderValue();
    }

    async ValueTask<TransferDecided> ICallHost.TransferAsync(TransferQuestion question)
    {
        var decision = await Flows.DecideTransferAsync(CallerCallId, State, question.Request);
        if (decision.Allowed && question.Replaces is { } replaces)
        {
            // Attended: the call the transferor names (its other call through us; a callee leg's Call-ID leads to its
            // grain) says who is at its far end; that party is dialled with a Replaces naming its dialog there.
            var other = _callIds.TryDecode(replaces.CallId) ?? replaces.CallId;
            var far = other == CallerCallId ? null : await GrainFactory.GetGrain<IDialogGrain>(other).FarPartyOf(replaces.CallId, replaces.ToTag, replaces.FromTag);
            return far is null
                ? new TransferDecided(TransferDecision.Refuse(481, "Call Does Not Exist"), [])
                : new TransferDecided(decision, [FarParty.ToDial(far)]);
        }

        return decision.Allowed
            ? new TransferDecided(decision, await TransferTargets.LocateAsync(_router, _targets, decision.Target ?? question.Request.ReferTo, question.Transferee, CancellationToken.None))
            : new TransferDecided(decision, []);
    }

    Task ICallHost.WriteCdrAsync(CallDetailRecord cdr) => _cdrs.WriteAsync(cdr, CancellationToken.None);

    Task ICallHost.TellAnsweredAsync(DialTarget target) => Flows.TellAnsweredAsync(CallerCallId, State, target);

    Task ICallHost.TellEndedAsync(CallEnd end) => Flows.TellEndedAsync(CallerCallId, State, end);

    Task<bool> ICallHost.SaveAsync() => SaveAsync();

    private CallFlowHost Flows => _flowHost ??= new CallFlowHost(_flows, _time, GrainFactory, _logger);

    private EdgeDispatch Edges => _edges ??= new EdgeDispatch(GrainFactory, _metrics, _logger, CallerCallId);

    /// <summary>
    /// The call ended: its timers stop, and the ended state stays in this activation only, for the retransmissions of
    /// the next 64×T1. Stored, it would serve just the rare retransmission that reaches another activation after this
    /// silo failed, which then gets 481 (the dialog is gone, as RFC 3261 §15.1.2 lets a BYE's sender take it), and its
    /// CDR is already written; that spares a state write per call (docs/performance.md). A silo that stops gracefully
    /// does store it on the way out (<see cref="OnDeactivateAsync"/>).
    /// </summary>
    private void OnEnded()
    {
        _callTimer?.Dispose();
        _callTimer = null;
        _armedFor = null;
        StopParkTimer();
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
                _store.State = ended; // answers the retransmissions until the call is forgotten (see OnEnded)
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
    /// An ended call is never stored: saving it removes its row (see <see cref="OnEnded"/>).
    /// </summary>
    private Task<bool> SaveAsync()
        => State.Phase == DialogPhase.Ended ? Persist.ClearAsync(CancellationToken.None) : Persist.SaveAsync(CancellationToken.None);

    /// <summary>
    /// A call that is up and goes without choosing to (its silo shuts down, Orleans sheds activations) parks on the
    /// way out: its state and the reminder for its maximum duration outlive this activation, so a held call is still
    /// hung up at its maximum duration if no message comes first. Then what the store has not taken gets one last try.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode is not (DeactivationReasonCode.ApplicationRequested or DeactivationReasonCode.Migrating)
            && CallDeadlines.IsUp(State) && !State.Parked)
        {
            State.Parked = true;
            await SaveAsync();
        }
        else if (State.Phase == DialogPhase.Ended && !_forgotten && reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // Its silo stops (scale-in, a rolling update) while the ended call lingers: the retransmissions still to
            // come (a BYE whose 200 was lost) reach the next activation, which answers them from this state rather than
            // with 481 and forgets it 64×T1 later. One write per call ended in the last 64×T1, at a graceful stop only.
            await Persist.SaveAsync(cancellationToken);
        }

        await (_persist?.FlushAsync(cancellationToken) ?? Task.CompletedTask);
    }
}
