using System.Net;
using System.Text;
using CallControl.Edge.Registrar;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// The edge's router over a real transaction layer, with a fake grain factory, a recording wire and a fake clock: SIP
/// messages go in as if received, grain calls and sent messages come out to be awaited. No Orleans cluster.
/// </summary>
internal sealed class RouterHarness : IDisposable
{
    /// <summary>How long a test waits for an event that must come; reached only when the router is broken.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The grain-call timeout of the harness: unlike every transaction timer, so a test can await its arming.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>The caller, over UDP (the test messages' Via sent-by).</summary>
    public static readonly SipEndPoint Caller = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5070));

    private readonly CancellationTokenSource _stopping = new();
    private readonly AdmissionControl? _admission;

    /// <param name="retries">Grain-call retries; their backoff is zero, so retries need no clock.</param>
    /// <param name="maxInFlight">With a value, admission control refuses new calls at this many grain calls in flight.</param>
    /// <param name="boundedByOrleans">Orleans' response timeout bounds each attempt (a standalone edge): the policy sets no timer.</param>
    /// <param name="keepAlives">With settings, the router learns NATed flows and takes keep-alive answers (<see cref="KeepAlives"/>), counted in <paramref name="meters"/>.</param>
    /// <param name="meters">The meters keep-alives are counted in, if any.</param>
    /// <param name="messages">With settings, the router relays out-of-dialog MESSAGE and OPTIONS to users (src/Edge/Messages).</param>
    public RouterHarness(int retries = 2, int? maxInFlight = null, bool boundedByOrleans = false, NatKeepAliveOptions? keepAlives = null, System.Diagnostics.Metrics.IMeterFactory? meters = null, Messages.MessageOptions? messages = null)
    {
        var admission = maxInFlight is { } limit
            ? new AdmissionControl(limit, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), minCompletions: 1, Clock, NullLogger<AdmissionControl>.Instance)
            : null;
        _admission = admission;
        var layer = new TransactionLayer(Sender, Clock, new SipTimerOptions { SendTryingImmediately = false }, NullLogger<TransactionLayer>.Instance);
        var executor = new CommandExecutor(layer, new PeerResolver(SystemLocator.Instance), NullLogger<CommandExecutor>.Instance);
        var policy = new GrainCallPolicy(new GrainCallSettings(Timeout, retries, TimeSpan.Zero, TimeSpan.Zero), Clock, boundedByOrleans);
        var edge = new EdgeInfo("edge-test", "127.0.0.1", 5060, 5060);
        KeepAlives = keepAlives is null ? null : new NatKeepAlives(keepAlives, Sender, () => edge, (aor, flow) => Grains.GetGrain<IRegistrarGrain>(aor).FlowFailed(flow), Clock, NullLogger<NatKeepAlives>.Instance, meters);
        var relay = messages is null ? null : new Messages.MessageRelay(layer, new PeerResolver(SystemLocator.Instance), Grains, () => edge, messages, Clock, NullLogger.Instance, _stopping.Token);
        var settings = new EdgeRouterSettings(Drain, TimeSpan.FromSeconds(5), admission, policy) { KeepAlives = KeepAlives, Messages = relay };
        var router = new EdgeRouter(Grains, new GrainKeys(CallIds), executor, () => edge, settings, NullLogger<EdgeRouter>.Instance, _stopping.Token);
        layer.Attach(router, router);
        Layer = layer;
    }

    public SignallingClock Clock { get; } = new();

    public FakeGrains Grains { get; } = new();

    public RecordingSender Sender { get; } = new();

    public CallIdCodec CallIds { get; } = new("router-tests-secret");

    public DrainSwitch Drain { get; } = new();

    public TransactionLayer Layer { get; }

    /// <summary>The NATed flows the router learns, when the harness was given keep-alive settings.</summary>
    public NatKeepAlives? KeepAlives { get; }

    /// <summary>Hands <paramref name="text"/> to the layer as if it came from the caller (or <paramref name="source"/>).</summary>
    public void Receive(string text, SipEndPoint? source = null) => Layer.Receive(Parse(text), source ?? Caller);

    /// <summary>The next message sent, which must be a response with <paramref name="status"/>.</summary>
    public async Task<SipMessage> NextResponseAsync(int status)
    {
        var (_, message) = await Sender.NextAsync();
        Assert.False(message.IsRequest, $"sent {message.MethodName}, not a response");
        Assert.Equal(status, message.StatusCode);
        return message;
    }

    public static SipMessage Parse(string text)
        => SipParser.ParseTrusted(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)));

    /// <summary>The grain's answer to an INVITE: a response through its server transaction.</summary>
    public static SipCommand[] Respond(SipMessage request, int status, string toTag = "g1")
        => [new SipCommand(SipCommandKind.Respond, SipResponses.Create(request, status, null, toTag).ToArray(), new SipPeer(SipTransportKind.Udp, "127.0.0.1", 5070))];

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
        _admission?.Dispose();
        CallIds.Dispose();
    }
}
