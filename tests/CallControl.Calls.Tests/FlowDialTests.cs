using CallControl.Grains;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>What a flow asks for, carried out by the dialog grain: a sequential dial with ring timeouts, a redirect.</summary>
public sealed class FlowDialTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    [Fact]
    public async Task A_ringing_member_is_cancelled_at_its_ring_timeout_and_the_next_member_rings()
    {
        var call = new CallScript(_calls, $"hunt-{Guid.NewGuid():N}@127.0.0.1", dialled: "4000");
        await call.InviteAsync();
        var first = Assert.Single(call.CalleeInvites);
        Assert.Equal("sip:first@127.0.0.1:5096", first.RequestUri);
        await call.LegRespondsAsync(first, 180, "first-tag");

        var timeout = await _calls.TimerAsync(call.CallId);

        Assert.Equal([SipMethod.Cancel, SipMethod.Invite], timeout.Select(c => CallScript.Parse(c).Method));
        Assert.Equal(first.CallId, CallScript.Parse(timeout[0]).CallId);
        var second = CallScript.Parse(timeout[1]);
        Assert.Equal("sip:second@127.0.0.1:5097", second.RequestUri);
        Assert.Equal(5097, timeout[1].Destination.Port);

        var answered = await call.LegRespondsAsync(second, 200, "second-tag");
        Assert.Equal(200, CallScript.Parse(Assert.Single(answered, c => c.Kind == SipCommandKind.Respond)).StatusCode);
        Assert.Empty(await call.LegRespondsAsync(first, 487, "first-tag")); // the cancelled member's 487 changes nothing
    }

    [Fact]
    public async Task When_every_member_times_out_the_flow_decides_the_final_answer()
    {
        var call = new CallScript(_calls, $"hunt-{Guid.NewGuid():N}@127.0.0.1", dialled: "4001");
        await call.InviteAsync();
        await call.LegRespondsAsync(call.CalleeInvites[0], 180, "first-tag");
        var second = CallScript.Parse((await _calls.TimerAsync(call.CallId))[1]);
        await call.LegRespondsAsync(second, 180, "second-tag");

        var last = await _calls.TimerAsync(call.CallId);

        Assert.Equal(486, CallScript.Parse(Assert.Single(last, c => c.Kind == SipCommandKind.Respond)).StatusCode);
        Assert.Equal("Nobody Home", CallScript.Parse(last.Single(c => c.Kind == SipCommandKind.Respond)).ReasonPhrase);
        Assert.Equal(second.CallId, CallScript.Parse(Assert.Single(last, c => c.Kind == SipCommandKind.Request)).CallId);
        Assert.Equal(CallDisposition.Busy, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task A_redirect_answers_302_with_the_flow_s_contact()
    {
        var call = new CallScript(_calls, $"moved-{Guid.NewGuid():N}@127.0.0.1", dialled: "5000");

        var commands = await call.InviteAsync();

        var redirect = CallScript.Parse(Assert.Single(commands));
        Assert.Equal(302, redirect.StatusCode);
        Assert.Equal("sip:elsewhere@192.0.2.7", Assert.Single(redirect.Addresses(Sip.Headers.HeaderId.Contact)).Uri.ToString());
    }
}
