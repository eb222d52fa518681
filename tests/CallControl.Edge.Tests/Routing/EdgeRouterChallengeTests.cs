using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// A BYE the grain sends with <see cref="SipCommandFlags.NoReport"/> and <see cref="SipCommandFlags.ReportChallenge"/>
/// (docs/interop.md, "Outbound authentication"): the edge keeps its answers to itself, except a 401 or 407, which the
/// grain must hear to send the BYE again with credentials.
/// </summary>
public sealed class EdgeRouterChallengeTests : IDisposable
{
    private const string CallerCallId = "call-1@test";
    private readonly RouterHarness _edge = new();
    private readonly string _calleeCallId;

    public EdgeRouterChallengeTests()
    {
        _calleeCallId = _edge.CallIds.Encode(CallerCallId);
        _edge.Grains.Answer = call => Task.FromResult(call.Method == GrainMethod.Request
            ? [new SipCommand(SipCommandKind.Request, TestMessages.Bytes(TestMessages.Request("BYE", "z9hG4bK-out1", _calleeCallId, cseq: 1)), new SipPeer(SipTransportKind.Udp, "127.0.0.1", 5090), SipCommandFlags.NoReport | SipCommandFlags.ReportChallenge)]
            : Array.Empty<SipCommand>());
    }

    public void Dispose() => _edge.Dispose();

    [Theory]
    [InlineData(401)]
    [InlineData(407)]
    public async Task A_challenge_to_a_bye_sent_without_report_reaches_the_grain(int status)
    {
        _edge.Receive(RouterMessages.Invite(callId: CallerCallId));
        Assert.Equal(GrainMethod.Request, (await _edge.Grains.NextCallAsync()).Method);
        Assert.Equal("BYE", (await _edge.Sender.NextAsync()).Message.MethodName);

        _edge.Receive(RouterMessages.Response(status, _calleeCallId, "BYE"));

        var call = await _edge.Grains.NextCallAsync();
        Assert.Equal((CallerCallId, GrainMethod.Response, status), (call.Key, call.Method, call.Message!.StatusCode));
    }
}
