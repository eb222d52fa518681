using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// The callee leg, which the grain starts: the edge sends its INVITE in a client transaction, and what that transaction
/// brings back (a response, or Timer B's timeout) goes to the grain of the caller leg its Call-ID decodes to.
/// </summary>
public sealed class EdgeRouterCalleeLegTests : IDisposable
{
    private const string CallerCallId = "call-1@test";
    private readonly RouterHarness _edge = new();
    private readonly string _calleeCallId;

    public EdgeRouterCalleeLegTests()
    {
        _calleeCallId = _edge.CallIds.Encode(CallerCallId);
        _edge.Grains.Answer = call => Task.FromResult(call.Method == GrainMethod.Request
            ? [new SipCommand(SipCommandKind.Request, TestMessages.Bytes(TestMessages.Invite("z9hG4bK-out1", "UDP", _calleeCallId)), new SipPeer(SipTransportKind.Udp, "127.0.0.1", 5090))]
            : Array.Empty<SipCommand>());
    }

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_response_of_the_callee_legs_transaction_goes_to_the_callers_grain()
    {
        await CallerInvitesAsync();

        _edge.Receive(RouterMessages.Response(180, _calleeCallId));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal((CallerCallId, GrainMethod.Response, 180), (call.Key, call.Method, call.Message!.StatusCode));
        Assert.Equal(1, _edge.Layer.ClientCount); // matched to its transaction, not taken for a stray
    }

    [Fact]
    public async Task A_callee_leg_INVITE_nobody_answers_reaches_the_callers_grain_as_a_client_failure_after_Timer_B()
    {
        await CallerInvitesAsync();

        await _edge.Clock.ArmedAsync(TimeSpan.FromSeconds(32)); // Timer B, 64×T1
        _edge.Clock.Advance(TimeSpan.FromSeconds(32));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal((CallerCallId, GrainMethod.ClientFailure), (call.Key, call.Method));
        Assert.Equal(new ClientFailure(_calleeCallId, 1, "INVITE", TransportError: false), call.Failure);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(407)]
    public async Task A_challenge_to_a_bye_sent_without_report_still_reaches_the_grain(int status)
    {
        // NoReport keeps a BYE's answers at the edge; ReportChallenge lets a 401/407 through, for the grain to send the
        // BYE again with credentials (docs/interop.md, "Outbound authentication").
        _edge.Grains.Answer = call => Task.FromResult(call.Method == GrainMethod.Request
            ? [new SipCommand(SipCommandKind.Request, TestMessages.Bytes(TestMessages.Request("BYE", "z9hG4bK-out1", _calleeCallId, cseq: 1)), new SipPeer(SipTransportKind.Udp, "127.0.0.1", 5090), SipCommandFlags.NoReport | SipCommandFlags.ReportChallenge)]
            : Array.Empty<SipCommand>());
        _edge.Receive(RouterMessages.Invite(callId: CallerCallId));
        Assert.Equal(GrainMethod.Request, (await _edge.Grains.NextCallAsync()).Method);
        Assert.Equal("BYE", (await _edge.Sender.NextAsync()).Message.MethodName);

        _edge.Receive(RouterMessages.Response(status, _calleeCallId, "BYE"));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal((CallerCallId, GrainMethod.Response, status), (call.Key, call.Method, call.Message!.StatusCode));
    }

    // The caller's INVITE reaches its grain, which answers with the callee leg's INVITE; the edge sends it.
    private async Task CallerInvitesAsync()
    {
        _edge.Receive(RouterMessages.Invite(callId: CallerCallId));
        Assert.Equal(GrainMethod.Request, (await _edge.Grains.NextCallAsync()).Method);
        var (destination, sent) = await _edge.Sender.NextAsync();
        Assert.Equal((5090, "INVITE", _calleeCallId), (destination.Address.Port, sent.MethodName, sent.CallId));
    }
}
