using CallControl.Grains;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>Several legs at once (a registered user's bindings, a ring group): first answer wins, the others get CANCEL.</summary>
public sealed class ParallelRingingTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    private CallScript NewCall(string extra = "") => new(_calls, $"parallel-{Guid.NewGuid():N}@127.0.0.1", dialled: "3000", extraInviteHeaders: extra);

    [Fact]
    public async Task Every_target_rings_at_once_each_on_a_leg_of_its_own()
    {
        var call = NewCall();
        var commands = await call.InviteAsync();

        Assert.Equal(3, call.CalleeInvites.Count);
        Assert.Equal(FailoverTestRouter.RingAllTargets, call.CalleeInvites.Select(i => i.RequestUri));
        Assert.Equal([5093, 5094, 5095], commands.Select(c => c.Destination.Port));
        Assert.Equal(3, call.CalleeInvites.Select(i => i.CallId).Distinct().Count());
        Assert.All(call.CalleeInvites, i => Assert.Equal(call.CallId, _calls.CallIds.TryDecode(i.CallId)));
    }

    [Fact]
    public async Task The_first_answer_wins_ringing_legs_get_cancel_and_a_silent_one_gets_it_on_its_first_provisional()
    {
        var call = NewCall();
        await call.InviteAsync();
        var (desk, mobile, soft) = (call.CalleeInvites[0], call.CalleeInvites[1], call.CalleeInvites[2]);
        var ringing = await call.LegRespondsAsync(desk, 180, "desk-tag");
        Assert.Equal(180, CallScript.Parse(Assert.Single(ringing)).StatusCode);
        await call.LegRespondsAsync(mobile, 180, "mobile-tag");

        var answered = await call.LegRespondsAsync(mobile, 200, "mobile-tag");

        var cancel = CallScript.Parse(Assert.Single(answered, c => CallScript.Parse(c).Method == SipMethod.Cancel));
        Assert.Equal(desk.CallId, cancel.CallId);
        Assert.Equal(200, CallScript.Parse(Assert.Single(answered, c => c.Kind == SipCommandKind.Respond)).StatusCode);
        Assert.DoesNotContain(answered, c => CallScript.Parse(c).CallId == soft.CallId); // no provisional yet: no CANCEL (RFC 3261 §9.1)

        var late = await call.LegRespondsAsync(soft, 100, "soft-tag");
        Assert.Equal(soft.CallId, CallScript.Parse(Assert.Single(late)).CallId);
        Assert.Equal(SipMethod.Cancel, CallScript.Parse(late[0]).Method);
    }

    [Fact]
    public async Task A_second_answer_is_acknowledged_and_hung_up_and_the_call_stays_with_the_first()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.LegRespondsAsync(call.CalleeInvites[0], 200, "desk-tag");

        var second = await call.LegRespondsAsync(call.CalleeInvites[1], 200, "mobile-tag");

        Assert.Equal([SipMethod.Ack, SipMethod.Bye], second.Select(c => CallScript.Parse(c).Method));
        Assert.All(second, c => Assert.Equal(call.CalleeInvites[1].CallId, CallScript.Parse(c).CallId));
        var bye = await call.CallerSendsAsync("BYE", 2, "any");
        var toCallee = CallScript.Parse(Assert.Single(bye, c => c.Kind == SipCommandKind.Request));
        Assert.Equal(call.CalleeInvites[0].CallId, toCallee.CallId);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal("sip:desk@127.0.0.1:5093", cdr.CalleeRouted);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
    }

    [Fact]
    public async Task When_no_leg_answers_the_caller_gets_the_best_response_busy_before_unreachable()
    {
        var call = NewCall();
        await call.InviteAsync();

        Assert.Empty(await call.LegRespondsAsync(call.CalleeInvites[0], 503));
        Assert.Empty(await call.LegFailsAsync(call.CalleeInvites[1], transportError: false));
        var last = await call.LegRespondsAsync(call.CalleeInvites[2], 486);

        Assert.Equal(486, CallScript.Parse(Assert.Single(last)).StatusCode);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Busy, cdr.Disposition);
        Assert.Equal(486, cdr.FinalStatus);
    }

    [Fact]
    public async Task A_caller_cancel_cancels_every_leg_that_has_rung()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.LegRespondsAsync(call.CalleeInvites[0], 180, "desk-tag");
        await call.LegRespondsAsync(call.CalleeInvites[2], 183, "soft-tag");

        var cancelled = await call.CallerCancelsAsync();

        Assert.Equal([200, 487], cancelled.Where(c => c.Kind == SipCommandKind.Respond).Select(c => CallScript.Parse(c).StatusCode));
        Assert.Equal(
            [call.CalleeInvites[0].CallId, call.CalleeInvites[2].CallId],
            cancelled.Where(c => c.Kind == SipCommandKind.Request).Select(c => CallScript.Parse(c)).Where(m => m.Method == SipMethod.Cancel).Select(m => m.CallId));
        Assert.Equal(CallDisposition.Cancelled, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task A_reliable_provisional_reaches_the_caller_under_our_rseq_and_its_prack_goes_to_that_leg()
    {
        var call = NewCall("Supported: 100rel");
        await call.InviteAsync();
        Assert.All(call.CalleeInvites, i => Assert.Equal("100rel", i.GetHeader(Sip.Headers.HeaderId.Supported)));

        var early = await call.LegRespondsAsync(call.CalleeInvites[1], 183, "mobile-tag", headers: [("Require", "100rel"), ("RSeq", "7001")]);
        var relayed = CallScript.Parse(Assert.Single(early));
        Assert.Equal("100rel", relayed.GetHeader(Sip.Headers.HeaderId.Require));
        var ourRSeq = relayed.GetHeader(Sip.Headers.HeaderId.RSeq)!;
        Assert.NotEqual("7001", ourRSeq);

        var again = await call.LegRespondsAsync(call.CalleeInvites[1], 183, "mobile-tag", headers: [("Require", "100rel"), ("RSeq", "7001")]);
        Assert.Equal(ourRSeq, CallScript.Parse(Assert.Single(again)).GetHeader(Sip.Headers.HeaderId.RSeq)); // a retransmission keeps its RSeq

        var prack = await call.CallerSendsWithAsync("PRACK", 2, CallScript.Parse(early[0]).To.Tag!, $"RAck: {ourRSeq} 1 INVITE");
        var toLeg = CallScript.Parse(Assert.Single(prack));
        Assert.Equal("PRACK", toLeg.MethodName);
        Assert.Equal(call.CalleeInvites[1].CallId, toLeg.CallId);
        Assert.Equal("7001 1 INVITE", toLeg.GetHeader(Sip.Headers.HeaderId.RAck));
        Assert.Equal("mobile-tag", toLeg.To.Tag);

        var ok = await call.CalleeAnswersAsync(toLeg, 200);
        var toCaller = CallScript.Parse(Assert.Single(ok));
        Assert.Equal(200, toCaller.StatusCode);
        Assert.Equal("PRACK", toCaller.CSeq.MethodName);
        Assert.Equal(call.CallId, toCaller.CallId);

        var unknown = await call.CallerSendsWithAsync("PRACK", 3, CallScript.Parse(early[0]).To.Tag!, $"RAck: {ourRSeq} 1 INVITE");
        Assert.Equal(481, CallScript.Parse(Assert.Single(unknown)).StatusCode); // acknowledged already
    }
}
