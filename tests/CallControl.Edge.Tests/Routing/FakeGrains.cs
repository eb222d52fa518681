using System.Threading.Channels;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Edge.Tests.Routing;

/// <summary>One call a fake grain received: which grain, which method, what it carried.</summary>
internal sealed record SeenCall(string Key, GrainMethod Method, SipMessage? Message, ClientFailure? Failure = null, string? CallId = null, uint CSeq = 0);

/// <summary>
/// A grain factory without a cluster: every dialog or registrar grain it gives records its calls, in order, and answers
/// with <see cref="Answer"/> (no commands, unless a test says otherwise). Other grains are not the router's business.
/// </summary>
internal sealed class FakeGrains : IGrainFactory
{
    private readonly Channel<SeenCall> _calls = Channel.CreateUnbounded<SeenCall>();
    private readonly Channel<(string Aor, SipPeer Flow)> _failedFlows = Channel.CreateUnbounded<(string, SipPeer)>();

    /// <summary>How every grain answers a call; by default at once, with nothing to do.</summary>
    public Func<SeenCall, Task<SipCommand[]>> Answer { get; set; } = _ => Task.FromResult(Array.Empty<SipCommand>());

    /// <summary>The next call any grain received, as it arrives.</summary>
    public async Task<SeenCall> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(RouterHarness.Patience);

    /// <summary>The next <see cref="IRegistrarGrain.FlowFailed"/> a registrar received: its key and the flow.</summary>
    public async Task<(string Aor, SipPeer Flow)> NextFailedFlowAsync() => await _failedFlows.Reader.ReadAsync().AsTask().WaitAsync(RouterHarness.Patience);

    /// <summary>True when a FlowFailed arrived that no test has taken yet.</summary>
    public bool TryTakeFailedFlow(out (string Aor, SipPeer Flow) failed) => _failedFlows.Reader.TryRead(out failed);

    /// <summary>True when a call arrived that no test has taken yet.</summary>
    public bool TryTakeCall(out SeenCall? call) => _calls.Reader.TryRead(out call);

    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
        => new FakeGrain(this, primaryKey) is TGrainInterface grain ? grain : throw new NotSupportedException(typeof(TGrainInterface).Name);

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerKey
        => new FakeMessageRelay(this) is TGrainInterface grain ? grain : throw new NotSupportedException(typeof(TGrainInterface).Name);

    /// <summary>How the message relay grain routes a MESSAGE or OPTIONS (its call is recorded as <see cref="GrainMethod.Message"/>); by default: 404 nowhere.</summary>
    public Func<SipMessage, MessageRoute> RouteMessage { get; set; } = _ => new MessageRoute([], Fork: false);

    /// <summary>How the message relay grain answers a request relayed through another edge (recorded as its request).</summary>
    public Func<SipCommand, RelayedAnswer> RelayThrough { get; set; } = _ => new RelayedAnswer(480);

    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithGuidCompoundKey => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null) where TGrainInterface : IGrainWithIntegerCompoundKey => throw new NotSupportedException();

    public TGrainObserverInterface CreateObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public void DeleteObjectReference<TGrainObserverInterface>(IGrainObserver obj) where TGrainObserverInterface : IGrainObserver => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => throw new NotSupportedException();

    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId) where TGrainInterface : IAddressable => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId) => throw new NotSupportedException();

    public IAddressable GetGrain(GrainId grainId, GrainInterfaceType interfaceType) => throw new NotSupportedException();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey) => throw new NotSupportedException();

    public IAddressable GetGrain(Type interfaceType, IdSpan grainKey, string grainClassNamePrefix) => throw new NotSupportedException();

    private Task<SipCommand[]> Receive(SeenCall call)
    {
        _calls.Writer.TryWrite(call);
        return Answer(call);
    }

    private sealed class FakeMessageRelay(FakeGrains owner) : IMessageRelayGrain
    {
        public async Task<MessageRoute> Route(SipInbound inbound)
        {
            var request = SipParser.ParseTrusted(inbound.Message);
            await owner.Receive(new(request.CallId, GrainMethod.Message, request));
            return owner.RouteMessage(request);
        }

        public async Task<RelayedAnswer> RelayThrough(SipCommand request, TimeSpan timeout)
        {
            var message = SipParser.ParseTrusted(request.Message);
            await owner.Receive(new(request.Destination.EdgeId ?? "", GrainMethod.Message, message));
            return owner.RelayThrough(request);
        }
    }

    private sealed class FakeGrain(FakeGrains owner, string key) : IDialogGrain, IRegistrarGrain
    {
        public Task<SipCommand[]> OnRequest(SipInbound request) => owner.Receive(new(key, GrainMethod.Request, SipParser.ParseTrusted(request.Message)));

        public Task<SipCommand[]> OnResponse(SipInbound response) => owner.Receive(new(key, GrainMethod.Response, SipParser.ParseTrusted(response.Message)));

        public Task<SipCommand[]> OnClientFailure(ClientFailure failure) => owner.Receive(new(key, GrainMethod.ClientFailure, null, failure));

        public Task<SipCommand[]> OnAckTimeout(string callId, uint cseq) => owner.Receive(new(key, GrainMethod.AckTimeout, null, CallId: callId, CSeq: cseq));

        public Task<Grains.Media.MediaLostOutcome> OnMediaLost(string engine) => throw new NotSupportedException("edges never tell a call its rtpengine died");

        public Task Wake() => throw new NotSupportedException("edges never wake a call");

        public Task<FarPartyTarget?> FarPartyOf(string callId, string toTag, string fromTag) => throw new NotSupportedException("edges never ask a call for its far party");

        public Task<SipCommand[]> OnRegister(SipInbound request) => owner.Receive(new(key, GrainMethod.Register, SipParser.ParseTrusted(request.Message)));

        public Task<RegistrarBinding[]> GetBindings() => throw new NotSupportedException();

        public Task FlowFailed(SipPeer flow) => owner._failedFlows.Writer.TryWrite((key, flow)) ? Task.CompletedTask : throw new InvalidOperationException();
    }
}
