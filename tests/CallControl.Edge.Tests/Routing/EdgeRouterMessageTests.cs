using CallControl.Edge.Messages;
using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// Out-of-dialog MESSAGE and OPTIONS to a user (src/Edge/Messages): one grain call decides where they go, the edge
/// sends each request in a client transaction of its own and relays the final answer to the sender's transaction.
/// </summary>
public sealed class EdgeRouterMessageTests : IDisposable
{
    private static readonly SipPeer Phone = new(SipTransportKind.Udp, "127.0.0.1", 5080);
    private static readonly SipPeer OtherPhone = new(SipTransportKind.Udp, "127.0.0.1", 5082);
    private readonly RouterHarness _edge = new(messages: new MessageOptions { MaxBodySize = 64 });

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_MESSAGE_is_decided_by_one_grain_call_sent_to_its_target_and_the_targets_200_with_its_body_goes_back_to_the_sender()
    {
        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, Phone, "t1")], Fork: false);
        _edge.Receive(Message("msg-1@test"));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("msg-1@test", GrainMethod.Message), (call.Key, call.Method));
        var (destination, relayed) = await _edge.Sender.NextAsync();
        Assert.Equal((SipMethod.Message, 5080), (relayed.Method, destination.Address.Port));

        _edge.Receive(Answer(relayed, 200, "Delivered", "text/plain", "read"), Source(Phone));
        var answer = await _edge.NextResponseAsync(200);
        Assert.Equal("msg-1@test", answer.CallId); // the sender's own transaction
        Assert.Equal("Delivered", answer.ReasonPhrase);
        Assert.Equal(EdgeResponses.EdgeTag, answer.To.Tag); // our tag, not the target's
        Assert.Equal(("text/plain", "read"), (answer.ContentType, System.Text.Encoding.UTF8.GetString(answer.Body.Span)));
        Assert.Null(answer.GetHeader(HeaderId.Contact));
    }

    [Fact]
    public async Task A_fork_answers_with_the_first_2xx_even_after_another_binding_refused()
    {
        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, Phone, "t1"), Relayed(request, OtherPhone, "t2")], Fork: true);
        _edge.Receive(Message("msg-2@test"));

        var first = (await _edge.Sender.NextAsync()).Message;
        var second = (await _edge.Sender.NextAsync()).Message;
        var (toPhone, toOther) = first.From.Tag == "t1" ? (first, second) : (second, first);
        _edge.Receive(Answer(toPhone, 486, "Busy Here"), Source(Phone));
        Assert.False(_edge.Sender.TryTake(out _)); // one binding is still out: nothing to the sender yet
        _edge.Receive(Answer(toOther, 202, "Accepted"), Source(OtherPhone));

        Assert.Equal("Accepted", (await _edge.NextResponseAsync(202)).ReasonPhrase);
    }

    [Fact]
    public async Task A_routes_next_target_gets_the_message_after_a_503_and_its_answer_is_relayed()
    {
        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, Phone, "t1"), Relayed(request, OtherPhone, "t2")], Fork: false);
        _edge.Receive(Message("msg-3@test"));

        var first = (await _edge.Sender.NextAsync()).Message;
        Assert.Equal("t1", first.From.Tag); // one at a time
        _edge.Receive(Answer(first, 503, "Service Unavailable"), Source(Phone));
        var second = (await _edge.Sender.NextAsync()).Message;
        Assert.Equal("t2", second.From.Tag);
        _edge.Receive(Answer(second, 404, "Not Found"), Source(OtherPhone));

        await _edge.NextResponseAsync(404);
    }

    [Fact]
    public async Task A_target_that_never_answers_gets_the_sender_a_408_at_the_relay_timeout()
    {
        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, Phone, "t1")], Fork: false);
        _edge.Receive(Message("msg-4@test"));
        _ = await _edge.Sender.NextAsync();

        await _edge.Clock.ArmedAsync(new MessageOptions().Timeout);
        _edge.Clock.Advance(new MessageOptions().Timeout);

        // The MESSAGE's own retransmission (Timer E) may go out first.
        SipMessage sent;
        do
        {
            sent = (await _edge.Sender.NextAsync()).Message;
        }
        while (sent.IsRequest);

        Assert.Equal(408, sent.StatusCode);
    }

    [Fact]
    public async Task A_refusal_from_the_grain_goes_to_the_sender_and_nothing_is_relayed()
    {
        _edge.Grains.RouteMessage = request => MessageRoute.Refused(SipCommand.Response(SipResponses.Simple(request, 404, null, "g1"), request, Source(RouterHarness.Caller)));
        _edge.Receive(Message("msg-5@test"));

        await _edge.NextResponseAsync(404);
        Assert.False(_edge.Sender.TryTake(out _));
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413_without_any_grain_call()
    {
        _edge.Receive(Message("msg-6@test", new string('x', 65)));

        await _edge.NextResponseAsync(413);
        Assert.False(_edge.Grains.TryTakeCall(out _));
    }

    [Fact]
    public async Task An_OPTIONS_to_the_node_is_answered_by_the_edge_and_one_to_a_user_is_relayed()
    {
        _edge.Receive(Options("opt-1@test", "sip:127.0.0.1:5060"));
        await _edge.NextResponseAsync(200);
        Assert.False(_edge.Grains.TryTakeCall(out _));

        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, Phone, "t1")], Fork: false);
        _edge.Receive(Options("opt-2@test", "sip:bob@127.0.0.1"));
        Assert.Equal(GrainMethod.Message, (await _edge.Grains.NextCallAsync()).Method);
        var relayed = (await _edge.Sender.NextAsync()).Message;
        Assert.Equal(SipMethod.Options, relayed.Method);
        _edge.Receive(Answer(relayed, 200, "OK"), Source(Phone));
        await _edge.NextResponseAsync(200);
    }

    [Fact]
    public async Task A_request_for_a_connection_another_edge_holds_goes_through_the_relay_grain_and_its_answer_comes_back()
    {
        var held = new SipPeer(SipTransportKind.Tcp, "127.0.0.1", 40000, ConnectionId: 7, EdgeId: "edge-other");
        _edge.Grains.RouteMessage = request => new MessageRoute([Relayed(request, held, "t1")], Fork: true);
        _edge.Grains.RelayThrough = _ => new RelayedAnswer(480);
        _edge.Receive(Message("msg-7@test"));

        Assert.Equal(GrainMethod.Message, (await _edge.Grains.NextCallAsync()).Method); // the decision
        Assert.Equal("edge-other", (await _edge.Grains.NextCallAsync()).Key); // the relay through the holder
        await _edge.NextResponseAsync(480);
    }

    [Fact]
    public async Task A_late_answer_to_a_relayed_request_reaches_no_grain()
    {
        _edge.Receive(RouterMessages.Response(200, IMessageRelayGrain.CallIdPrefix + "gone", "MESSAGE"), Source(Phone));
        _edge.Receive(RouterMessages.Response(200, "call-9@test"));

        Assert.Equal("call-9@test", (await _edge.Grains.NextCallAsync()).Key); // the late one was dropped before it
    }

    private static SipCommand Relayed(SipMessage request, SipPeer to, string fromTag)
    {
        var text = $"""
            {request.MethodName} sip:bob@{to.Host}:{to.Port} SIP/2.0
            Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-r{fromTag}{Guid.NewGuid():N}
            Max-Forwards: 69
            From: <sip:alice@test>;tag={fromTag}
            To: <sip:bob@test>
            Call-ID: {IMessageRelayGrain.CallIdPrefix}{fromTag}-{request.CallId}
            CSeq: 1 {request.MethodName}
            Content-Length: 0


            """;
        return new SipCommand(SipCommandKind.Request, RouterHarness.Parse(text).Buffer.ToArray(), to);
    }

    private static string Message(string callId, string body = "hello") => $"""
        MESSAGE sip:bob@127.0.0.1 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-m-{callId}
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=a1
        To: <sip:bob@127.0.0.1>
        Call-ID: {callId}
        CSeq: 1 MESSAGE
        Content-Type: text/plain
        Content-Length: {body.Length}

        {body}
        """;

    private static string Options(string callId, string uri) => $"""
        OPTIONS {uri} SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-o-{callId}
        Max-Forwards: 70
        From: <sip:alice@127.0.0.1>;tag=a1
        To: <{uri}>
        Call-ID: {callId}
        CSeq: 1 OPTIONS
        Content-Length: 0


        """;

    private static string Answer(SipMessage request, int status, string reason, string? contentType = null, string body = "")
    {
        var builder = SipResponses.Create(request, status, reason, "callee-tag").Add(HeaderId.Contact, "<sip:bob@10.0.0.9>");
        if (contentType is not null)
        {
            builder.Body(System.Text.Encoding.UTF8.GetBytes(body), contentType);
        }

        return System.Text.Encoding.UTF8.GetString(builder.ToArray());
    }

    private static SipEndPoint Source(SipPeer peer) => new(peer.Transport, new System.Net.IPEndPoint(System.Net.IPAddress.Parse(peer.Host), peer.Port));

    private static SipPeer Source(SipEndPoint endPoint) => new(endPoint.Transport, endPoint.Address.Address.ToString(), endPoint.Address.Port);
}
