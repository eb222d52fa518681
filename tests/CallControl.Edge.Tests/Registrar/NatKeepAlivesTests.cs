using CallControl.Edge.Registrar;
using CallControl.Edge.Routing;
using CallControl.Edge.Tests.Routing;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;
using static CallControl.Edge.Tests.Registrar.NatMessages;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// Keep-alives through the router, on a fake clock and a recording wire: a NATed REGISTER's 200 makes a flow, an
/// OPTIONS goes to it every interval, the phone's answer (any status) stays at the edge and keeps the flow, and three
/// unanswered ones tell each registrar once. No grain call per keep-alive or per answer.
/// </summary>
public sealed class NatKeepAlivesTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(25);
    private readonly NatMeterRecorder _meters = new();
    private readonly RouterHarness _router;

    public NatKeepAlivesTests() => _router = new RouterHarness(keepAlives: new NatKeepAliveOptions(), meters: _meters.MeterFactory);

    private NatKeepAlives KeepAlives => _router.KeepAlives!;

    [Fact]
    public async Task A_natted_registration_gets_an_options_keep_alive_every_interval()
    {
        await RegisterAsync("alice");
        Assert.Equal(1, KeepAlives.Flows);
        Assert.Equal(1, _meters.Flows());

        _router.Clock.Advance(Interval - TimeSpan.FromSeconds(1));
        KeepAlives.Advance();
        Assert.False(_router.Sender.TryTake(out _));

        var options = await NextKeepAliveAsync();
        Assert.Equal(SipMethod.Options, options.Method);
        Assert.Equal(Contact, options.RequestUri);
        Assert.Equal(0, options.MaxForwards);
        Assert.Equal("sip:alice@example.com", options.To.Uri.ToString());
        Assert.StartsWith(KeepAliveRequest.BranchPrefix, options.TopVia.Branch, StringComparison.Ordinal);
        Assert.Equal(("127.0.0.1", 5060), (options.TopVia.Host, options.TopVia.Port));
        Assert.StartsWith("cc-ka-", options.CallId, StringComparison.Ordinal);
        Assert.Equal(1, await _meters.NextAsync("callcontrol.nat.keepalives", "sent"));

        _router.Receive(System.Text.Encoding.UTF8.GetString(AnswerTo(options)), Source);
        var second = await NextKeepAliveAsync();
        Assert.Equal(2u, second.CSeq.Number);
        Assert.NotEqual(options.TopVia.Branch, second.TopVia.Branch);
        Assert.False(_router.Grains.TryTakeCall(out _)); // one REGISTER, taken; nothing for the keep-alives or the answer
    }

    [Fact]
    public async Task Any_answer_even_an_error_keeps_the_flow_and_never_reaches_a_grain()
    {
        await RegisterAsync("alice");
        for (var i = 0; i < 6; i++)
        {
            var options = await NextKeepAliveAsync();
            _router.Receive(System.Text.Encoding.UTF8.GetString(AnswerTo(options, i % 2 == 0 ? 404 : 503)), Source);
            Assert.Equal(1, await _meters.NextAsync("callcontrol.nat.keepalives", "answered"));
        }

        Assert.Equal(1, KeepAlives.Flows);
        Assert.False(_router.Grains.TryTakeCall(out _));
        Assert.False(_router.Grains.TryTakeFailedFlow(out _));
    }

    [Fact]
    public async Task Three_unanswered_keep_alives_tell_each_registrar_on_the_flow_once()
    {
        await RegisterAsync("alice");
        await RegisterAsync("alice2");
        for (var i = 0; i < 3; i++)
        {
            await NextKeepAliveAsync();
        }

        _router.Clock.Advance(Interval);
        KeepAlives.Advance();
        var told = new[] { await _router.Grains.NextFailedFlowAsync(), await _router.Grains.NextFailedFlowAsync() };

        Assert.Equal(["sip:alice2@example.com", "sip:alice@example.com"], told.Select(t => t.Aor).Order());
        Assert.All(told, t => Assert.Equal(new SipPeer(SipTransportKind.Udp, "203.0.113.7", 20001, 0, "edge-test"), t.Flow)); // the REGISTER's SipInbound.Source
        Assert.Equal(3, await _meters.NextAsync("callcontrol.nat.keepalives", "failed"));
        Assert.Equal(1, await _meters.NextAsync("callcontrol.nat.flows.ended", "failed"));
        Assert.Equal(0, KeepAlives.Flows);

        _router.Clock.Advance(Interval * 4);
        KeepAlives.Advance();
        Assert.False(_router.Sender.TryTake(out _));
        Assert.False(_router.Grains.TryTakeFailedFlow(out _));
    }

    [Fact]
    public async Task A_de_registration_ends_the_keep_alives()
    {
        await RegisterAsync("alice");
        await RegisterAsync("alice", expires: "0", answerWith: []);

        Assert.Equal(0, KeepAlives.Flows);
        _router.Clock.Advance(Interval * 2);
        KeepAlives.Advance();
        Assert.False(_router.Sender.TryTake(out _));
    }

    [Fact]
    public async Task An_answer_to_a_keep_alive_of_a_flow_no_longer_kept_still_stays_at_the_edge()
    {
        var stale = TestMessagesFor.KeepAliveAnswer();

        _router.Receive(stale, Udp("198.51.100.1", 5060));

        Assert.Equal(1, await _meters.NextAsync("callcontrol.nat.keepalives", "ignored"));
        Assert.False(_router.Grains.TryTakeCall(out _));
    }

    [Fact]
    public async Task Other_stray_responses_still_go_to_their_grain()
    {
        _router.Receive(RouterMessages.Response(486, "call-9@test"), Source);

        Assert.Equal(GrainMethod.Response, (await _router.Grains.NextCallAsync()).Method);
    }

    [Fact]
    public void Crlf_keep_alives_are_a_double_crlf_and_cannot_fail()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var sent = new List<byte[]>();
        var keepAlives = new NatKeepAlives(new NatKeepAliveOptions { NatKeepAliveMethod = NatKeepAliveMethod.Crlf }, new CapturingSender(sent), () => new EdgeInfo("e", "127.0.0.1", 5060, 5060), (_, _) => throw new InvalidOperationException("no flow fails"), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<NatKeepAlives>.Instance);
        var register = Register();
        keepAlives.Learn(register, Source, Answer(register, 200, $"<{Contact}>;expires=120"));

        for (var i = 0; i < 6; i++)
        {
            clock.Advance(Interval);
            keepAlives.Advance();
        }

        Assert.Equal(4, sent.Count); // 25, 50, 75, 100 s; the registration ends at 120 s
        Assert.All(sent, datagram => Assert.Equal("\r\n\r\n"u8.ToArray(), datagram));
        Assert.Equal(0, keepAlives.Flows);
    }

    [Fact]
    public async Task The_loop_sends_on_the_clock_and_stops_with_the_host()
    {
        await RegisterAsync("alice");
        using var stopping = new CancellationTokenSource();
        var loop = KeepAlives.RunAsync(stopping.Token);

        _router.Clock.Advance(Interval);
        var (destination, options) = await _router.Sender.NextAsync();

        Assert.Equal(Source, destination);
        Assert.Equal(SipMethod.Options, options.Method);
        await stopping.CancelAsync();
        await loop.WaitAsync(RouterHarness.Patience);
    }

    public void Dispose()
    {
        _router.Dispose();
        _meters.Dispose();
    }

    // A REGISTER from the NATed phone, answered by the fake registrar with a 200 listing its Contact (or answerWith).
    private async Task RegisterAsync(string user, string expires = "3600", string[]? answerWith = null)
    {
        var contact = $"sip:{user}@10.0.0.5:5060";
        _router.Grains.Answer = call => Task.FromResult(Answer(call.Message!, 200, answerWith ?? [$"<{contact}>;expires=600"]));
        _router.Receive(RegisterText(user, contact, expires), Source);
        await _router.Grains.NextCallAsync();
        await _router.NextResponseAsync(200);
    }

    // Moves the clock one interval and takes the keep-alive that goes out, which must be an OPTIONS to the flow.
    private async Task<SipMessage> NextKeepAliveAsync()
    {
        _router.Clock.Advance(Interval);
        KeepAlives.Advance();
        var (destination, message) = await _router.Sender.NextAsync();
        Assert.Equal(Source, destination);
        return message;
    }

    private static string RegisterText(string user, string contact, string expires) => $"""
        REGISTER sip:example.com SIP/2.0
        Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK-r{user}{expires}
        Max-Forwards: 70
        From: <sip:{user}@example.com>;tag=r1
        To: <sip:{user}@example.com>
        Call-ID: reg-{user}@10.0.0.5
        CSeq: {(expires == "0" ? 3 : 2)} REGISTER
        Contact: <{contact}>
        Expires: {expires}
        Content-Length: 0


        """;

    private sealed class CapturingSender(List<byte[]> sent) : ISipSender
    {
        public event Action<SipEndPoint>? SendFailed
        {
            add { }
            remove { }
        }

        public void Send(SipEndPoint destination, ReadOnlyMemory<byte> message) => sent.Add(message.ToArray());
    }
}

/// <summary>Keep-alive answers written out, for tests that need one without a keep-alive having gone out.</summary>
internal static class TestMessagesFor
{
    public static string KeepAliveAnswer() => $"""
        SIP/2.0 200 OK
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch={KeepAliveRequest.BranchPrefix}00000000-7;rport=5060
        From: <sip:keepalive@127.0.0.1>;tag=cc-ka-00000000
        To: <sip:bob@example.com>;tag=p1
        Call-ID: cc-ka-00000000-198.51.100.1:5060
        CSeq: 7 OPTIONS
        Content-Length: 0


        """;
}
