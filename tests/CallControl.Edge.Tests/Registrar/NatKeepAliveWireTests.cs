using System.Net;
using System.Net.Sockets;
using System.Text;
using CallControl.Edge.Registrar;
using CallControl.Edge.Routing;
using CallControl.Edge.Tests.Routing;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// Keep-alives on real UDP sockets on 127.0.0.1, through the edge's own stack (transport, parser, transactions, router):
/// a phone whose Contact names a private address registers; the OPTIONS comes out of the edge's SIP socket, Via'd to
/// it; the phone's answer comes back to that socket and is kept at the edge, proving the flow alive.
/// </summary>
public sealed class NatKeepAliveWireTests : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(25);
    private readonly FakeTimeProvider _clock = new(NatMessages.Start);
    private readonly FakeGrains _grains = new();
    private readonly NatMeterRecorder _meters = new();
    private readonly UdpTransport _edge = new(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, NullLogger<UdpTransport>.Instance, TimeSpan.FromSeconds(1));
    private readonly UdpClient _phone = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stopping = new();
    private readonly CallIdCodec _callIds = new("wire-tests-secret");
    private readonly NatKeepAlives _keepAlives;

    public NatKeepAliveWireTests()
    {
        _edge.Bind();
        var info = new EdgeInfo("edge-wire", "127.0.0.1", _edge.LocalEndPoint.Port, 0);
        var layer = new TransactionLayer(_edge, _clock, new SipTimerOptions(), NullLogger<TransactionLayer>.Instance);
        var executor = new CommandExecutor(layer, new PeerResolver(CallControl.Edge.Tests.Routing.SystemLocator.Instance), NullLogger<CommandExecutor>.Instance);
        var policy = new GrainCallPolicy(new GrainCallSettings(TimeSpan.FromSeconds(5), 0, TimeSpan.Zero, TimeSpan.Zero), _clock, boundedByOrleans: true);
        _keepAlives = new NatKeepAlives(new NatKeepAliveOptions(), _edge, () => info, (aor, flow) => _grains.GetGrain<IRegistrarGrain>(aor).FlowFailed(flow), _clock, NullLogger<NatKeepAlives>.Instance, _meters.MeterFactory);
        var settings = new EdgeRouterSettings(new DrainSwitch(), TimeSpan.FromSeconds(5), null, policy) { KeepAlives = _keepAlives };
        var router = new EdgeRouter(_grains, new GrainKeys(_callIds), executor, () => info, settings, NullLogger<EdgeRouter>.Instance, _stopping.Token);
        layer.Attach(router, router);
        _edge.Start(new SipStack(_edge, layer, NullLogger<SipStack>.Instance));
    }

    [Fact]
    public async Task The_keep_alive_leaves_the_edges_socket_and_the_phones_answer_is_kept_there()
    {
        _grains.Answer = call => Task.FromResult(NatMessages.Answer(call.Message!, 200, "<sip:alice@10.0.0.5:5060>;expires=600"));
        await SendAsync(NatMessages.Register().Buffer.ToArray());
        Assert.Equal(GrainMethod.Register, (await _grains.NextCallAsync()).Method);
        Assert.Equal(200, (await ReceiveAsync()).Message.StatusCode);

        _clock.Advance(Interval);
        _keepAlives.Advance();
        var (from, options) = await ReceiveAsync();

        Assert.Equal(_edge.LocalEndPoint, from); // the socket the phone's NAT knows
        Assert.Equal(SipMethod.Options, options.Method);
        Assert.Equal(("127.0.0.1", _edge.LocalEndPoint.Port), (options.TopVia.Host, options.TopVia.Port));

        await SendAsync(NatMessages.AnswerTo(options, 405));
        Assert.Equal(1, await _meters.NextAsync("callcontrol.nat.keepalives", "answered"));
        Assert.False(_grains.TryTakeCall(out _)); // no grain call for the keep-alive, nor for its answer
        Assert.Equal(1, _keepAlives.Flows);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _edge.DisposeAsync();
        _phone.Dispose();
        _meters.Dispose();
        _callIds.Dispose();
        _stopping.Dispose();
    }

    private async Task SendAsync(byte[] datagram) => await _phone.SendAsync(datagram, _edge.LocalEndPoint);

    private async Task<(IPEndPoint From, SipMessage Message)> ReceiveAsync()
    {
        var received = await _phone.ReceiveAsync().WaitAsync(RouterHarness.Patience);
        return (received.RemoteEndPoint, SipParser.ParseTrusted(received.Buffer));
    }
}
