using CallControl.Grains;
using CallControl.Grains.Flows;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Serialization;

namespace CallControl.Flows.Testing;

/// <summary>
/// Runs one call through a flow the way the dialog grain does, without SIP: the call arrives, dials fail or are
/// answered, the call ends, on a fake clock. Between steps the flow's state goes through Orleans' serializer, as it
/// does when the call is persisted and reactivated on another silo, so state that would not survive a failover fails
/// here. Every action the flow returned is kept in <see cref="Actions"/>.
/// </summary>
/// <example>
/// <code>
/// var call = new FlowHarness(new HuntGroupFlow(), parameters: """{"targets":["sip:a@pbx","sip:b@pbx"],"ringSeconds":15}""");
/// var first = Assert.IsType&lt;Dial&gt;(await call.StartAsync());
/// var next = Assert.IsType&lt;Dial&gt;(await call.DialFailsAsync(DialResult.NoAnswer));
/// </code>
/// </example>
public sealed class FlowHarness
{
    private static readonly Lazy<Serializer> Serializer = new(() => new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());
    private readonly ICallFlow _flow;
    private readonly string? _parameters;
    private readonly IReadOnlyList<DialTarget> _routeTargets;
    private readonly IGrainFactory _grains;
    private readonly List<FlowAction> _actions = [];
    private byte[]? _state;

    /// <summary>A harness for <paramref name="flow"/> with a route's <paramref name="parameters"/> (its JSON) and targets.</summary>
    public FlowHarness(ICallFlow flow, string? parameters = null, CallFacts? call = null, IReadOnlyList<DialTarget>? routeTargets = null, FakeTimeProvider? time = null, IGrainFactory? grains = null)
    {
        _flow = flow;
        _parameters = parameters;
        _routeTargets = routeTargets ?? [];
        Call = call ?? Facts();
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        _grains = grains ?? new NoGrains();
    }

    /// <summary>The call as the flow sees it.</summary>
    public CallFacts Call { get; }

    /// <summary>The clock the flow reads: advance it to test time-of-day rules.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Every action the flow returned, in order.</summary>
    public IReadOnlyList<FlowAction> Actions => _actions;

    /// <summary>The last dial the flow asked for, if any.</summary>
    public Dial? LastDial { get; private set; }

    /// <summary>The flow's state after the last step, as it would be read back after a failover.</summary>
    public object? State => _state is null ? null : Serializer.Value.Deserialize<object>(_state);

    /// <summary>The call arrives: the flow's first action.</summary>
    public Task<FlowAction> StartAsync() => AskAsync((flow, context) => flow.OnCallAsync(context));

    /// <summary>The last dial ended without an answer, every target the same way (<paramref name="status"/> by default from the result).</summary>
    public Task<FlowAction> DialFailsAsync(DialResult result, int? status = null)
    {
        var code = status ?? result switch
        {
            DialResult.Busy => 486,
            DialResult.NoAnswer => 480,
            DialResult.Unreachable => 503,
            _ => 403,
        };
        var targets = (LastDial?.Targets ?? []).Select(t => new TargetOutcome(t, result, code)).ToList();
        return DialFailsAsync(new DialOutcome(result, code, targets));
    }

    /// <summary>The last dial ended without an answer, as <paramref name="outcome"/> says.</summary>
    public Task<FlowAction> DialFailsAsync(DialOutcome outcome) => AskAsync((flow, context) => flow.OnDialFailedAsync(context, outcome));

    /// <summary>A target of the last dial answered (the first one when none is named).</summary>
    public async Task AnsweredAsync(DialTarget? target = null)
    {
        var context = Context();
        await _flow.OnAnsweredAsync(context, target ?? LastDial?.Targets[0] ?? throw new InvalidOperationException("Nothing was dialled."));
        Keep(context);
    }

    /// <summary>
    /// A party of the answered call asks to transfer it (a REFER to <paramref name="referTo"/>): the flow's decision
    /// (docs/call-flows.md, "Transfers").
    /// </summary>
    public async Task<TransferDecision> TransferAsync(string referTo, TransferParty transferor = TransferParty.Callee, string? referredBy = null)
    {
        var context = Context();
        var decision = await _flow.OnTransferAsync(context, new TransferRequest(transferor, referTo, referredBy, Attended: false));
        Keep(context);
        return decision;
    }

    /// <summary>The call ended, answered <paramref name="held"/> long (null: never answered), as its CDR says.</summary>
    public async Task EndedAsync(TimeSpan? held, CallDisposition disposition = CallDisposition.Answered, HangupParty hungUpBy = HangupParty.Caller)
    {
        var end = Time.GetUtcNow();
        var record = new CallDetailRecord
        {
            CallId = Call.CallId,
            Caller = Call.Caller,
            CalleeDialled = Call.Dialled,
            CalleeRouted = LastDial?.Targets[0].Uri,
            InviteTime = end - (held ?? TimeSpan.Zero),
            AnswerTime = held is null ? null : end - held.Value,
            EndTime = end,
            BillableSeconds = held is { } h ? Math.Max(1, (long)Math.Ceiling(h.TotalSeconds)) : 0,
            Disposition = held is null && disposition == CallDisposition.Answered ? CallDisposition.NoAnswer : disposition,
            FinalStatus = held is null ? 480 : 200,
            HungUpBy = hungUpBy,
            Route = Call.Route,
            Edge = "harness",
            Silo = "harness",
        };
        var context = Context();
        await _flow.OnEndedAsync(context, new CallEnd(record, held is null ? null : LastDial?.Targets[0]));
        Keep(context);
    }

    /// <summary>What the flow says of the route's parameters (as the dial plan checks them at load).</summary>
    public IReadOnlyList<string> Validate() => [.. _flow.ValidateParameters(_parameters)];

    /// <summary>Facts for a test call: caller and dialled number, the rest plausible.</summary>
    public static CallFacts Facts(string caller = "sip:+4930111@carrier.example", string dialled = "sip:100@pbx.example", string route = "test")
    {
        var callerUser = Sip.Headers.SipUri.TryParse(caller, out var callerUri) ? callerUri.User : null;
        var dialledUser = Sip.Headers.SipUri.TryParse(dialled, out var dialledUri) ? dialledUri.User : null;
        return new CallFacts($"harness-{Guid.NewGuid():N}", caller, null, dialled, dialledUser, new SipPeer(Sip.Transport.SipTransportKind.Udp, "192.0.2.10", 5060), null, route)
        {
            CallerUser = callerUser,
        };
    }

    private async Task<FlowAction> AskAsync(Func<ICallFlow, CallFlowContext, ValueTask<FlowAction>> ask)
    {
        var context = Context();
        var action = await ask(_flow, context);
        Keep(context);
        _actions.Add(action);
        if (action is Dial dial)
        {
            LastDial = dial;
        }

        return action;
    }

    private CallFlowContext Context() => new(Call, _parameters, _routeTargets, State, Time, _grains, LastDial);

    private void Keep(CallFlowContext context)
        => _state = context.RawState is null ? null : Serializer.Value.SerializeToArray<object>(context.RawState);

    /// <summary>Flows under test that call grains get a real factory from the test (a TestCluster's); this one refuses.</summary>
    private sealed class NoGrains : IGrainFactory
    {
        private static InvalidOperationException Refused() => new("This flow calls grains: give the FlowHarness an IGrainFactory (e.g. an InProcessTestCluster's Client).");

        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw Refused();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey => throw Refused();
        public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithStringKey => throw Refused();
        public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw Refused();
        public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw Refused();
        public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Refused();
        public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw Refused();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw Refused();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw Refused();
        public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw Refused();
        public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw Refused();
        public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw Refused();
        public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw Refused();
        public IAddressable GetGrain(GrainId grainId) => throw Refused();
        public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw Refused();
        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey) => throw Refused();
        public IAddressable GetGrain(Type grainInterfaceType, IdSpan grainPrimaryKey, string grainClassNamePrefix) => throw Refused();
    }
}
