using CallControl.Calls;
using CallControl.Grains;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>A route's targets are tried in order: the next one on 408, 5xx or no response.</summary>
public sealed class FailoverTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Theory]
    [InlineData(503)]
    [InlineData(408)]
    public async Task A_failing_trunk_hands_the_call_to_the_next_and_the_caller_only_hears_the_answer(int failure)
    {
        var call = new CallScript(_calls, $"failover-{Guid.NewGuid():N}@127.0.0.1", dialled: "2000");
        var first = call.TakeCalleeInvite(await call.InviteAsync());
        Assert.Equal("sip:2000@127.0.0.1:5091", first.RequestUri);

        var next = await call.CalleeRespondsAsync(failure);

        var second = call.TakeCalleeInvite(next);
        Assert.Equal("sip:2000@127.0.0.1:5092", second.RequestUri);
        Assert.Equal(5092, next.Single().Destination.Port);
        Assert.NotEqual(first.CallId, second.CallId);
        Assert.Equal(call.CallId, _calls.CallIds.TryDecode(second.CallId));

        var answer = await call.CalleeRespondsAsync(200);
        Assert.Equal(200, CallScript.Parse(answer.Single(c => c.Kind == SipCommandKind.Respond)).StatusCode);
    }

    [Fact]
    public async Task No_response_from_a_trunk_fails_over_and_the_last_failure_reaches_the_caller()
    {
        var call = new CallScript(_calls, $"failover-{Guid.NewGuid():N}@127.0.0.1", dialled: "2001");
        call.TakeCalleeInvite(await call.InviteAsync());

        call.TakeCalleeInvite(await call.CalleeLegFailsAsync(transportError: true));
        var last = await call.CalleeRespondsAsync(503);

        Assert.Equal(503, CallScript.Parse(Assert.Single(last)).StatusCode);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Failed, cdr.Disposition);
        Assert.Equal("sip:2001@127.0.0.1:5092", cdr.CalleeRouted);
        Assert.Equal("two-trunks", cdr.Route);
    }

    [Fact]
    public async Task A_busy_trunk_is_final_no_failover()
    {
        var call = new CallScript(_calls, $"failover-{Guid.NewGuid():N}@127.0.0.1", dialled: "2002");
        call.TakeCalleeInvite(await call.InviteAsync());

        var busy = await call.CalleeRespondsAsync(486);

        Assert.Equal(486, CallScript.Parse(Assert.Single(busy)).StatusCode);
        Assert.Equal(SipCommandKind.Respond, busy[0].Kind);
    }
}
