using CallControl.Grains;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Tests;

/// <summary>The call's own timers (3 s in this cluster): messages they start reach the edge's observer.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CallTimerTests(ClusterFixture cluster)
{
    [Fact]
    public async Task An_unanswered_call_gets_480_and_the_callee_a_cancel_at_the_ring_timeout()
    {
        var edge = new RecordingEdgeObserver();
        var call = new CallScript(cluster.Grains, $"ring-{Guid.NewGuid():N}@127.0.0.1", observer: cluster.Grains.CreateObjectReference<IEdgeObserver>(edge));
        await call.InviteAsync();
        await call.CalleeRespondsAsync(180);

        var commands = await edge.NextAsync();

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], commands.Select(c => c.Kind));
        Assert.Equal(480, CallScript.Parse(commands[0]).StatusCode);
        Assert.Equal(SipMethod.Cancel, CallScript.Parse(commands[1]).Method);
        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId));
        Assert.Equal(CallDisposition.NoAnswer, cdr.Disposition);
        Assert.Equal(HangupParty.System, cdr.HungUpBy);
        Assert.Equal(480, cdr.FinalStatus);
        GC.KeepAlive(edge);
    }

    [Fact]
    public async Task An_answered_call_is_hung_up_on_both_legs_at_its_maximum_duration()
    {
        var edge = new RecordingEdgeObserver();
        var call = new CallScript(cluster.Grains, $"maxdur-{Guid.NewGuid():N}@127.0.0.1", observer: cluster.Grains.CreateObjectReference<IEdgeObserver>(edge));
        var ok = await call.AnswerAsync();

        var commands = await edge.NextAsync();

        var byes = commands.Select(CallScript.Parse).ToList();
        Assert.All(byes, bye => Assert.Equal(SipMethod.Bye, bye.Method));
        Assert.Equal([call.CallId, call.CalleeInvite!.CallId], byes.Select(b => b.CallId));
        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId));
        Assert.Equal(HangupParty.System, cdr.HungUpBy);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.True(cdr.BillableSeconds >= 3);
        GC.KeepAlive(edge);
    }
}
