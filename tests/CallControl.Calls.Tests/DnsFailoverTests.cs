using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Calls.Tests;

/// <summary>
/// A target named by DNS comes with its servers in order (RFC 3263, DialTargetLocator): its leg goes to the first, and to
/// the next on a 503 or no answer (§4.3), with the same Request-URI; any other failure is the target's. A target DNS
/// found no server for fails as unreachable, with no INVITE.
/// </summary>
public sealed class DnsFailoverTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_server_that_gives_503_or_no_answer_hands_the_leg_to_the_next_server_of_the_same_target(bool noAnswer)
    {
        var call = new CallScript(_calls, $"dns-{Guid.NewGuid():N}@127.0.0.1", dialled: "8000");
        var sent = await call.InviteAsync();
        var first = call.TakeCalleeInvite(sent);
        Assert.Equal("sip:8000@trunk.example", first.RequestUri);
        Assert.Equal(FailoverTestRouter.TrunkServers[0], sent.Single(c => c.Kind == SipCommandKind.Request).Destination);
        Assert.Equal("UDP", first.TopVia.Transport);

        var next = noAnswer ? await call.CalleeLegFailsAsync(transportError: false) : await call.CalleeRespondsAsync(503);

        var request = next.Single(c => c.Kind == SipCommandKind.Request);
        var second = call.TakeCalleeInvite(next);
        Assert.Equal("sip:8000@trunk.example", second.RequestUri);
        Assert.Equal(FailoverTestRouter.TrunkServers[1], request.Destination);
        Assert.Equal("b.trunk.example", request.Destination.ServerName);
        Assert.Equal("TCP", second.TopVia.Transport);
        Assert.DoesNotContain(next, c => c.Kind == SipCommandKind.Respond); // the caller hears nothing of the first server

        var answer = await call.CalleeRespondsAsync(200);
        Assert.Equal(200, CallScript.Parse(answer.Single(c => c.Kind == SipCommandKind.Respond)).StatusCode);
        var state = _calls.Call(call.CallId).State;
        Assert.Equal([0, 1], state.Legs.Select(l => l.Hop));
        Assert.Equal([LegStatus.Failed, LegStatus.Answered], state.Legs.Select(l => l.Status));
    }

    [Fact]
    public async Task A_busy_server_is_the_targets_answer_no_next_server()
    {
        var call = new CallScript(_calls, $"dns-{Guid.NewGuid():N}@127.0.0.1", dialled: "8001");
        call.TakeCalleeInvite(await call.InviteAsync());

        var busy = await call.CalleeRespondsAsync(486);

        Assert.Equal(486, CallScript.Parse(Assert.Single(busy)).StatusCode);
        Assert.Single(_calls.Call(call.CallId).State.Legs);
    }

    [Fact]
    public async Task When_every_server_fails_the_target_without_servers_is_unreachable_and_the_caller_gets_the_last_failure()
    {
        var call = new CallScript(_calls, $"dns-{Guid.NewGuid():N}@127.0.0.1", dialled: "8002");
        call.TakeCalleeInvite(await call.InviteAsync());
        call.TakeCalleeInvite(await call.CalleeLegFailsAsync(transportError: true));

        var last = await call.CalleeRespondsAsync(503);

        // The next target, nowhere.example, has no server: no INVITE goes, and the call gives up with 503.
        Assert.Equal(503, CallScript.Parse(Assert.Single(last)).StatusCode);
        var legs = _calls.Call(call.CallId).State.Legs;
        Assert.Equal(3, legs.Count);
        Assert.Equal("sip:8002@nowhere.example", legs[2].Uri);
        Assert.True(legs[2].NoResponse);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Failed, cdr.Disposition);
        Assert.Equal("dns-trunks", cdr.Route);
    }
}
