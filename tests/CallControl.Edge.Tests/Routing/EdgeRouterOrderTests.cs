using CallControl.Grains;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// One call's messages reach its grain one at a time, in arrival order, each after the previous one's answer went out
/// (<c>PerKeyOrder</c>); other calls are not held up behind it.
/// </summary>
public sealed class EdgeRouterOrderTests : IDisposable
{
    private readonly RouterHarness _edge = new();

    public void Dispose() => _edge.Dispose();

    [Fact]
    public async Task A_calls_next_message_waits_for_the_answer_to_its_previous_one_while_other_calls_go_on()
    {
        var slow = new TaskCompletionSource<SipCommand[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _edge.Grains.Answer = call => call.Key == "call-1@test" && call.Message!.MethodName == "INVITE"
            ? slow.Task
            : Task.FromResult(Array.Empty<SipCommand>());

        _edge.Receive(RouterMessages.Invite(callId: "call-1@test"));
        _edge.Receive(RouterMessages.InDialog("INFO", callId: "call-1@test"));
        _edge.Receive(RouterMessages.Invite(callId: "call-2@test", branch: "z9hG4bK-i2"));

        Assert.Equal(("call-1@test", "INVITE"), Seen(await _edge.Grains.NextCallAsync()));
        Assert.Equal(("call-2@test", "INVITE"), Seen(await _edge.Grains.NextCallAsync())); // not behind call 1's INVITE

        slow.SetResult(RouterHarness.Respond(RouterHarness.Parse(RouterMessages.Invite(callId: "call-1@test")), 180));
        Assert.Equal(180, (await _edge.NextResponseAsync(180)).StatusCode);
        Assert.Equal(("call-1@test", "INFO"), Seen(await _edge.Grains.NextCallAsync())); // only once the 180 went out
    }

    private static (string Key, string Method) Seen(SeenCall call) => (call.Key, call.Message!.MethodName);
}
