using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// Which grain the router hands each message to: a dialog's by Call-ID (a callee leg's decoded to the caller leg's), a
/// registrar's by address of record; and what it answers itself without a grain.
/// </summary>
public sealed class EdgeRouterRoutingTests : IDisposable
{
    private readonly RouterHarness _edge = new();

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_new_INVITE_goes_to_the_dialog_grain_of_its_Call_ID_and_the_grains_answer_goes_out_through_its_transaction()
    {
        _edge.Grains.Answer = call => Task.FromResult(RouterHarness.Respond(call.Message!, 180));
        _edge.Receive(RouterMessages.Invite(callId: "call-7@test"));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("call-7@test", GrainMethod.Request, "INVITE"), (call.Key, call.Method, call.Message!.MethodName));
        var ringing = await _edge.NextResponseAsync(180);
        Assert.Equal("g1", ringing.To.Tag);
        Assert.Equal(1, _edge.Layer.ServerCount); // the INVITE's own transaction carried it, still open for the final answer
    }

    [Fact]
    public async Task A_response_that_names_its_transaction_goes_through_that_transaction_unparsed()
    {
        // The response's own Via names no transaction here, and its destination is nowhere: only the transaction the
        // grain named (ServerTransactionId) can take it to the caller, so the edge went by that, not by the bytes.
        _edge.Grains.Answer = call =>
        {
            var stray = SipResponses.Create(RouterHarness.Parse(RouterMessages.Invite(callId: "call-8@test", branch: "z9hG4bK-not-this-one")), 180, null, "g1").ToArray();
            return Task.FromResult<SipCommand[]>([SipCommand.Response(stray, call.Message!, new SipPeer(SipTransportKind.Udp, "127.0.0.9", 9))]);
        };
        _edge.Receive(RouterMessages.Invite(callId: "call-8@test"));

        var (destination, ringing) = await _edge.Sender.NextAsync();

        Assert.Equal(180, ringing.StatusCode);
        Assert.Equal(RouterHarness.Caller, destination);
        Assert.Equal("z9hG4bK-not-this-one", ringing.TopVia.Branch);
    }

    [Fact]
    public async Task A_callee_legs_response_goes_to_the_grain_of_the_caller_leg_its_Call_ID_decodes_to()
    {
        var calleeCallId = _edge.CallIds.Encode("caller-leg@test");
        _edge.Receive(RouterMessages.Response(200, calleeCallId));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("caller-leg@test", GrainMethod.Response, 200), (call.Key, call.Method, call.Message!.StatusCode));
        Assert.Equal(calleeCallId, call.Message.CallId); // the grain gets the message as it came
    }

    [Fact]
    public async Task A_Call_ID_that_only_looks_like_a_callee_legs_is_its_own_key()
    {
        var forged = "b2" + new string('A', 48); // our prefix and length, but no cluster's key sealed it
        _edge.Receive(RouterMessages.InDialog("BYE", callId: forged));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal((forged, GrainMethod.Request, "BYE"), (call.Key, call.Method, call.Message!.MethodName));
    }

    [Fact]
    public async Task A_REGISTER_goes_to_the_registrar_of_its_address_of_record()
    {
        _edge.Receive(RouterMessages.Register(user: "Alice"));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("sip:Alice@example.com", GrainMethod.Register), (call.Key, call.Method));
    }

    [Fact]
    public async Task A_2xx_the_caller_never_acknowledges_reaches_its_grain_as_an_ACK_timeout()
    {
        _edge.Grains.Answer = call => Task.FromResult(call.Method == GrainMethod.Request ? RouterHarness.Respond(call.Message!, 200) : []);
        _edge.Receive(RouterMessages.Invite(callId: "call-9@test", cseq: 7));
        await _edge.Grains.NextCallAsync();
        await _edge.NextResponseAsync(200);

        await _edge.Clock.ArmedAsync(TimeSpan.FromSeconds(32)); // Timer L, 64×T1 (RFC 6026)
        _edge.Clock.Advance(TimeSpan.FromSeconds(32));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("call-9@test", GrainMethod.AckTimeout, "call-9@test", 7u), (call.Key, call.Method, call.CallId, call.CSeq));
    }

    [Theory]
    [InlineData("OPTIONS", false, 200)] // keep-alives and the balancer's probe
    [InlineData("BYE", false, 405)]     // out of dialog: nothing to end
    [InlineData("FROB", true, 501)]     // a method nobody here knows, even in a dialog
    public async Task Requests_no_grain_can_use_are_answered_at_the_edge(string method, bool inDialog, int status)
    {
        var text = inDialog ? RouterMessages.InDialog(method) : RouterMessages.InDialog(method).Replace(";tag=b1", "", StringComparison.Ordinal);
        _edge.Receive(text);

        var response = await _edge.NextResponseAsync(status);
        Assert.Contains("INVITE", response.GetHeader(HeaderId.Allow), StringComparison.Ordinal); // what may be sent instead
        Assert.False(_edge.Grains.TryTakeCall(out _));
    }

    [Fact]
    public async Task A_draining_edge_refuses_new_calls_with_503_Draining_and_still_carries_in_dialog_requests()
    {
        _edge.Drain.Begin();
        _edge.Receive(RouterMessages.Invite(callId: "new@test"));
        var refused = await _edge.NextResponseAsync(503);
        Assert.Equal(EdgeRouter.DrainingReason, refused.ReasonPhrase);
        Assert.Equal("5", refused.GetHeader(HeaderId.RetryAfter));

        _edge.Receive(RouterMessages.InDialog("BYE", callId: "old@test"));
        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal(("old@test", "BYE"), (call.Key, call.Message!.MethodName)); // the INVITE never reached a grain
    }
}
