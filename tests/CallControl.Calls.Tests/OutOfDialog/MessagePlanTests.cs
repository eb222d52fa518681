using System.Text;
using CallControl.Calls;
using CallControl.Grains;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Calls.Tests.OutOfDialog;

/// <summary>
/// Where an out-of-dialog MESSAGE or OPTIONS goes (<see cref="MessagePlan"/>) and what is sent there
/// (<see cref="OutOfDialogRequests"/>): a registered user's bindings forked, a route's targets in turn, 404 and 483.
/// </summary>
public sealed class MessagePlanTests
{
    private static readonly EdgeInfo Edge = new("edge-1", "127.0.0.1", 5060, 5062);
    private static readonly EdgeInfo OtherEdge = new("edge-2", "127.0.0.2", 5070, 5072);
    private static readonly SipPeer Sender = new(SipTransportKind.Udp, "127.0.0.1", 5090, EdgeId: "edge-1");

    [Fact]
    public void A_registered_users_bindings_are_forked_each_from_the_edge_that_holds_its_flow()
    {
        var tcp = new SipPeer(SipTransportKind.Tcp, "127.0.0.9", 40000, ConnectionId: 3, EdgeId: "edge-2");
        var route = new RouteDecision(
            [new DialTarget("sip:bob@10.0.0.5:5060"), new DialTarget("sip:bob@10.0.0.6;transport=tcp") { Hop = tcp, HopEdge = OtherEdge }],
            "registered") { Flow = RingAllFlow.Name };

        var plan = MessagePlan.For(Message(), Inbound(), route);

        Assert.True(plan.Fork);
        Assert.Null(plan.Refusal);
        Assert.Equal(2, plan.Requests.Length);
        var (first, second) = (Parse(plan.Requests[0]), Parse(plan.Requests[1]));
        Assert.Equal(("sip:bob@10.0.0.5:5060", "10.0.0.5", 5060), (first.RequestUri, plan.Requests[0].Destination.Host, plan.Requests[0].Destination.Port));
        Assert.Equal(tcp, plan.Requests[1].Destination);
        Assert.Equal("SIP/2.0/TCP 127.0.0.2:5072", second.GetHeader(HeaderId.Via)![..26]); // the holder's Via, toward its connection
        Assert.NotEqual(first.CallId, second.CallId);
    }

    [Fact]
    public void The_relayed_request_carries_the_message_and_none_of_the_senders_identifiers()
    {
        var plan = MessagePlan.For(Message(), Inbound(), new RouteDecision(SipUri.Parse("sip:bob@10.0.0.5"), "registered") { Flow = RingAllFlow.Name });

        var relayed = Parse(plan.Requests[0]);
        Assert.Equal(SipMethod.Message, relayed.Method);
        Assert.StartsWith(IMessageRelayGrain.CallIdPrefix, relayed.CallId, StringComparison.Ordinal);
        Assert.NotEqual("sender-call@test", relayed.CallId);
        Assert.NotEqual("a1", relayed.From.Tag);
        Assert.NotNull(relayed.From.Tag);
        Assert.Equal(("sip:alice@127.0.0.1", "Alice"), (relayed.From.Uri.ToString(), relayed.From.DisplayName));
        Assert.Null(relayed.To.Tag);
        Assert.Equal(69, relayed.MaxForwards);
        Assert.Equal("1 MESSAGE", relayed.GetHeader(HeaderId.CSeq));
        Assert.DoesNotContain("z9hG4bK-sender", relayed.GetHeader(HeaderId.Via), StringComparison.Ordinal);
        Assert.Single(relayed.GetHeaders(HeaderId.Via));
        Assert.Equal(("text/plain;charset=utf-8", "Hello, Bob"), (relayed.ContentType, Encoding.UTF8.GetString(relayed.Body.Span)));
        Assert.Equal("urgent", relayed.GetHeader(HeaderId.Priority));
        Assert.Equal("<sip:alice@127.0.0.1>", relayed.GetHeader(HeaderId.PAssertedIdentity));
        Assert.Null(relayed.GetHeader(HeaderId.ProxyAuthorization));
        Assert.Null(relayed.GetHeader(HeaderId.Route));
        Assert.Null(relayed.GetHeader(HeaderId.UserAgent));
    }

    [Fact]
    public void A_routes_targets_go_in_turn_each_located_server_in_order_with_the_dialled_user_on_a_trunk()
    {
        var servers = new[] { new SipPeer(SipTransportKind.Udp, "10.1.0.1", 5060), new SipPeer(SipTransportKind.Tcp, "10.1.0.2", 5070) };
        var route = new RouteDecision([new DialTarget("sip:trunk.example") { Hops = servers }, new DialTarget("sip:10.2.0.1:5080")], "trunks");

        var plan = MessagePlan.For(Message(), Inbound(), route);

        Assert.False(plan.Fork);
        Assert.Equal([servers[0], servers[1], new SipPeer(SipTransportKind.Udp, "10.2.0.1", 5080)], plan.Requests.Select(r => r.Destination));
        Assert.Equal(["sip:bob@trunk.example", "sip:bob@trunk.example", "sip:bob@10.2.0.1:5080"], plan.Requests.Select(r => Parse(r).RequestUri));
    }

    [Fact]
    public void A_bindings_Path_goes_as_Route()
    {
        var proxy = new SipPeer(SipTransportKind.Udp, "10.3.0.1", 5060);
        var route = new RouteDecision([new DialTarget("sip:bob@10.0.0.5") { Hop = proxy, Headers = new Dictionary<string, string> { ["Route"] = "<sip:10.3.0.1;lr>" } }], "registered") { Flow = RingAllFlow.Name };

        var plan = MessagePlan.For(Message(), Inbound(), route);

        Assert.Equal(proxy, plan.Requests[0].Destination);
        Assert.Equal("<sip:10.3.0.1;lr>", Parse(plan.Requests[0]).GetHeader(HeaderId.Route));
    }

    [Fact]
    public void No_route_is_404_and_no_hops_left_is_483_and_no_server_in_DNS_is_503()
    {
        Assert.Equal(404, Refusal(MessagePlan.For(Message(), Inbound(), null)));
        Assert.Equal(404, Refusal(MessagePlan.For(Message(), Inbound(), new RouteDecision([], "empty"))));
        Assert.Equal(483, Refusal(MessagePlan.For(Message(maxForwards: 0), Inbound(), new RouteDecision(SipUri.Parse("sip:bob@10.0.0.5"), "r"))));
        Assert.Equal(503, Refusal(MessagePlan.For(Message(), Inbound(), new RouteDecision([new DialTarget("sip:nowhere.example") { Hops = [] }], "r"))));
    }

    [Fact]
    public void An_OPTIONS_is_relayed_as_an_OPTIONS()
    {
        var options = SipParser.ParseTrusted(Encoding.UTF8.GetBytes(
            "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-o\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\n" +
            "To: <sip:bob@127.0.0.1>\r\nCall-ID: o@test\r\nCSeq: 7 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n"));

        var relayed = Parse(MessagePlan.For(options, Inbound(), new RouteDecision(SipUri.Parse("sip:bob@10.0.0.5"), "r")).Requests[0]);

        Assert.Equal((SipMethod.Options, "1 OPTIONS", "application/sdp"), (relayed.Method, relayed.GetHeader(HeaderId.CSeq), relayed.GetHeader(HeaderId.Accept)));
    }

    private static int Refusal(MessageRoute plan)
    {
        Assert.Empty(plan.Requests);
        var response = SipParser.ParseTrusted(plan.Refusal!.Message);
        Assert.Equal("sender-call@test", response.CallId);
        return response.StatusCode;
    }

    private static SipMessage Parse(SipCommand command)
    {
        Assert.Equal(SipCommandKind.Request, command.Kind);
        return SipParser.ParseTrusted(command.Message);
    }

    private static SipInbound Inbound() => new(Message().Buffer.ToArray(), Sender, Edge);

    private static SipMessage Message(int maxForwards = 70)
    {
        const string body = "Hello, Bob";
        return SipParser.ParseTrusted(Encoding.UTF8.GetBytes(
            "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\n" +
            "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-sender\r\n" +
            $"Max-Forwards: {maxForwards}\r\n" +
            "From: \"Alice\" <sip:alice@127.0.0.1>;tag=a1\r\n" +
            "To: <sip:bob@127.0.0.1>\r\n" +
            "Call-ID: sender-call@test\r\n" +
            "CSeq: 5 MESSAGE\r\n" +
            "Route: <sip:127.0.0.1;lr>\r\n" +
            "User-Agent: sender-phone\r\n" +
            "Proxy-Authorization: Digest username=\"alice\"\r\n" +
            "P-Asserted-Identity: <sip:alice@127.0.0.1>\r\n" +
            "Priority: urgent\r\n" +
            "Content-Type: text/plain;charset=utf-8\r\n" +
            $"Content-Length: {body.Length}\r\n\r\n{body}"));
    }
}
