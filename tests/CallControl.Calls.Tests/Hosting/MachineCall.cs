using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;

namespace CallControl.Calls.Tests;

/// <summary>One call's machine behind <see cref="IDialogGrain"/>: the same entry points the edges call on the grain.</summary>
public sealed class MachineCall : IDialogGrain, ICallHost
{
    private readonly CallHost _host;
    private readonly CallMachine _machine;

    public MachineCall(CallHost host, string callId)
    {
        _host = host;
        _machine = new CallMachine(callId, () => State, host.Options, "machine-tests", host.CallIds, Events, host.AnchorMedia);
    }

    public DialogState State { get; set; } = new();

    /// <summary>What the call reported.</summary>
    public RecordingCallEvents Events { get; } = new();

    /// <summary>Saves the store took (clears included), and saves it refused.</summary>
    public int Saves { get; private set; }

    public int RefusedSaves { get; private set; }

    public bool EverStored { get; private set; }

    public DateTimeOffset Now => _host.Time.GetUtcNow();

    public Task<SipCommand[]> OnRequest(SipInbound request) => RunAsync(new RequestArrived(SipParser.ParseTrusted(request.Message), request));

    public Task<SipCommand[]> OnResponse(SipInbound response) => RunAsync(new ResponseArrived(SipParser.ParseTrusted(response.Message)));

    public Task<SipCommand[]> OnClientFailure(ClientFailure failure) => RunAsync(new RequestFailed(failure));

    public Task<SipCommand[]> OnAckTimeout(string callId, uint cseq) => RunAsync(new AckNeverCame(callId, cseq));

    public Task Wake() => Task.CompletedTask; // a machine in memory has no activation to lose

    public async Task<Grains.Media.MediaLostOutcome> OnMediaLost(string engine)
    {
        await RunAsync(new MediaLost(engine));
        return State.MediaEngine != engine ? Grains.Media.MediaLostOutcome.Moved : Grains.Media.MediaLostOutcome.Left;
    }

    public async Task<SipCommand[]> RunAsync(CallInput input) => [.. await CallTurn.RunAsync(_machine, input, this)];

    public ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller)
        => _host.RouteOverride is { } route ? route(dialled) : _host.Router.RouteAsync(dialled, caller, CancellationToken.None);

    public ValueTask<FlowAction> DecideAsync(DialOutcome? outcome) => _host.Flows.DecideAsync(_machine.CallerCallId, State, outcome);

    /// <summary>The fake relay's answer; like the grain's host, a call's first offer and a re-anchor set its rtpengine.</summary>
    public ValueTask<MediaResult> MediaAsync(MediaRequest request)
    {
        var result = _host.Media.Handle(request);
        if (result.Ok && (request.Kind == MediaKind.Reanchor || (request.Kind == MediaKind.Offer && State.MediaEngine is null)))
        {
            State.MediaEngine = request.Kind == MediaKind.Reanchor ? FakeMediaRelay.Spare : FakeMediaRelay.Counts.Engine;
        }

        return ValueTask.FromResult(result);
    }

    /// <summary>As the grain answers: the route's credentials, looked up by name, and <see cref="AuthQuestion.Answer"/>.</summary>
    public ValueTask<string?> AuthorizeAsync(AuthQuestion question)
    {
        _host.AuthQuestions.Enqueue(question);
        return ValueTask.FromResult(question.Answer(_host.Credentials.GetValueOrDefault(question.Route))?.ToHeaderValue());
    }

    /// <summary>As the grain answers: the flow's decision, then the test router's targets for the transfer's target (no DNS here).</summary>
    public Task<FarPartyTarget?> FarPartyOf(string callId, string toTag, string fromTag)
        => Task.FromResult(State.CallerInvite is null ? null : FarParty.Of(State, SipParser.ParseTrusted(State.CallerInvite), new ReplacedDialog(callId, toTag, fromTag)));

    public async ValueTask<TransferDecided> TransferAsync(TransferQuestion question)
    {
        var decision = await _host.Flows.DecideTransferAsync(_machine.CallerCallId, State, question.Request);
        if (decision.Allowed && question.Replaces is { } replaces)
        {
            // As the grain does: the named call (a callee leg's Call-ID decoded to its caller's) says who its far party is.
            var far = await _host.Call(_host.CallIds.TryDecode(replaces.CallId) ?? replaces.CallId).FarPartyOf(replaces.CallId, replaces.ToTag, replaces.FromTag);
            return far is null ? new TransferDecided(TransferDecision.Refuse(481), []) : new TransferDecided(decision, [FarParty.ToDial(far)]);
        }

        if (!decision.Allowed || !SipUri.TryParse(decision.Target ?? question.Request.ReferTo, out var target)
            || await _host.Router.RouteAsync(target, question.Transferee, CancellationToken.None) is not { } route)
        {
            return new TransferDecided(decision, []);
        }

        return new TransferDecided(decision, route.Targets);
    }

    public Task WriteCdrAsync(CallDetailRecord cdr)
    {
        _host.AllCdrs.Enqueue(cdr);
        return Task.CompletedTask;
    }

    public Task TellAnsweredAsync(DialTarget target) => _host.Flows.TellAnsweredAsync(_machine.CallerCallId, State, target);

    public Task TellEndedAsync(CallEnd end) => _host.Flows.TellEndedAsync(_machine.CallerCallId, State, end);

    public Task<bool> SaveAsync()
    {
        if (_host.StoreDown)
        {
            RefusedSaves++;
            return Task.FromResult(false);
        }

        Saves++;
        EverStored = true;
        return Task.FromResult(true);
    }
}
