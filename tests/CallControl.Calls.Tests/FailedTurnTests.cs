using CallControl.Grains.Tests;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// A turn whose host cannot answer the machine's question (the route lookup asks a registrar on a silo that has just
/// died): the turn fails and sends nothing, and the call takes the edge's retry of the same INVITE as new.
/// </summary>
public sealed class FailedTurnTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task The_invites_retry_after_a_failed_route_lookup_starts_the_call()
    {
        var call = new CallScript(_calls, $"failed-turn-{Guid.NewGuid():N}@127.0.0.1");
        _calls.RouteOverride = _ => throw new TimeoutException("the registrar's silo is gone");

        await Assert.ThrowsAsync<TimeoutException>(call.InviteAsync);
        _calls.RouteOverride = null;
        await call.InviteAsync();

        Assert.Equal(SipMethod.Invite, Assert.Single(call.CalleeInvites).Method);
        Assert.Equal(DialogPhase.Calling, _calls.Call(call.CallId).State.Phase);
    }
}
