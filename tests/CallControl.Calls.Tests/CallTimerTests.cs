using CallControl.Grains;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>The call's own timers (3 s here): what they start when its host fires them.</summary>
public sealed class CallTimerTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task An_unanswered_call_gets_480_and_the_callee_a_cancel_at_the_ring_timeout()
    {
        var call = new CallScript(_calls, $"ring-{Guid.NewGuid():N}@127.0.0.1");
        await call.InviteAsync();
        await call.CalleeRespondsAsync(180);

        var commands = await _calls.TimerAsync(call.CallId);

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], commands.Select(c => c.Kind));
        Assert.Equal(480, CallScript.Parse(commands[0]).StatusCode);
        Assert.Equal(SipMethod.Cancel, CallScript.Parse(commands[1]).Method);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.NoAnswer, cdr.Disposition);
        Assert.Equal(HangupParty.System, cdr.HungUpBy);
        Assert.Equal(480, cdr.FinalStatus);
    }

    [Fact]
    public async Task At_the_ring_timeout_a_callee_whose_provisional_never_came_gets_its_cancel_at_once()
    {
        // Its 180 went to an edge that died with the INVITE's transaction: none will ever come to release the CANCEL.
        var call = new CallScript(_calls, $"ring-{Guid.NewGuid():N}@127.0.0.1");
        await call.InviteAsync();

        var commands = await _calls.TimerAsync(call.CallId);

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], commands.Select(c => c.Kind));
        Assert.Equal(480, CallScript.Parse(commands[0]).StatusCode);
        var cancel = CallScript.Parse(commands[1]);
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(call.CalleeInvite!.TopVia.Branch, cancel.TopVia.Branch);
        Assert.Empty(await call.CalleeRespondsAsync(180)); // a late provisional sends no second CANCEL
    }

    [Fact]
    public async Task An_answered_call_is_hung_up_on_both_legs_at_its_maximum_duration()
    {
        var call = new CallScript(_calls, $"maxdur-{Guid.NewGuid():N}@127.0.0.1");
        var ok = await call.AnswerAsync();

        var commands = await _calls.TimerAsync(call.CallId);

        var byes = commands.Select(CallScript.Parse).ToList();
        Assert.All(byes, bye => Assert.Equal(SipMethod.Bye, bye.Method));
        Assert.Equal([call.CallId, call.CalleeInvite!.CallId], byes.Select(b => b.CallId));
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(HangupParty.System, cdr.HungUpBy);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.True(cdr.BillableSeconds >= 3);
    }
}
