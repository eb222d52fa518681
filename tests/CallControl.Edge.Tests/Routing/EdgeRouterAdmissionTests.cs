using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// The router as the gate of new calls: while admission control says the edge is behind, a new INVITE gets a stateless
/// 503 Overloaded before any grain sees it; in-dialog requests are never refused; the ACK of that 503 ends at the edge.
/// </summary>
public sealed class EdgeRouterAdmissionTests : IDisposable
{
    private readonly RouterHarness _edge = new(maxInFlight: 1);

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task At_the_in_flight_limit_a_new_call_is_refused_statelessly_and_in_dialog_requests_still_reach_their_grain()
    {
        var held = new TaskCompletionSource<SipCommand[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _edge.Grains.Answer = call => call.Key == "busy@test" ? held.Task : Task.FromResult(Array.Empty<SipCommand>());
        _edge.Receive(RouterMessages.Invite(callId: "busy@test"));
        await _edge.Grains.NextCallAsync(); // one grain call in flight: the limit

        _edge.Receive(RouterMessages.Invite(callId: "new@test", branch: "z9hG4bK-i2"));
        var refused = await _edge.NextResponseAsync(503);
        Assert.Equal((EdgeRouter.OverloadedReason, "5"), (refused.ReasonPhrase, refused.GetHeader(HeaderId.RetryAfter)));
        Assert.NotNull(refused.To.Tag);
        Assert.Equal(1, _edge.Layer.ServerCount); // the busy call's: the refusal left no transaction

        _edge.Receive(RouterMessages.InDialog("BYE", callId: "other@test"));
        var bye = await _edge.Grains.NextCallAsync();
        Assert.Equal(("other@test", "BYE"), (bye.Key, bye.Message!.MethodName)); // never refused, at any load

        _edge.Receive(AckOf(refused));
        held.SetResult([]);
        _edge.Receive(RouterMessages.InDialog("INFO", callId: "last@test", branch: "z9hG4bK-d9"));
        Assert.Equal("last@test", (await _edge.Grains.NextCallAsync()).Key); // the ACK before it went to no grain
    }

    // The caller's ACK of the edge's 503: same branch as the INVITE (RFC 3261 §17.1.1.3), the 503's To tag.
    private static string AckOf(Sip.Messages.SipMessage refused)
        => RouterMessages.Invite(callId: "new@test", branch: "z9hG4bK-i2")
            .Replace("INVITE sip", "ACK sip", StringComparison.Ordinal)
            .Replace("CSeq: 1 INVITE", "CSeq: 1 ACK", StringComparison.Ordinal)
            .Replace("To: <sip:bob@127.0.0.1:5060>", $"To: <sip:bob@127.0.0.1:5060>;tag={refused.To.Tag}", StringComparison.Ordinal);
}
