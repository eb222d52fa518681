using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>The call as a B2BUA, message by message, in its machine.</summary>
public sealed class B2buaTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    private CallScript NewCall(bool withOffer = true) => new(_calls, $"grain-test-{Guid.NewGuid():N}@127.0.0.1", withOffer);

    [Fact]
    public async Task An_invite_makes_one_callee_leg_that_hides_the_callers_identifiers()
    {
        var call = NewCall();

        var commands = await call.InviteAsync();

        var request = Assert.Single(commands);
        Assert.Equal(SipCommandKind.Request, request.Kind);
        Assert.Equal(new SipPeer(Sip.Transport.SipTransportKind.Udp, "127.0.0.1", 5090), request.Destination);
        var invite = call.CalleeInvite!;
        Assert.Equal("sip:1000@127.0.0.1:5090", invite.RequestUri);
        Assert.NotEqual(call.CallId, invite.CallId);
        Assert.Equal(call.CallId, _calls.CallIds.TryDecode(invite.CallId));
        Assert.NotEqual("alice-tag", invite.From.Tag);
        Assert.Equal("alice", invite.From.Uri.User);
        Assert.DoesNotContain("z9hG4bK-caller-1", System.Text.Encoding.UTF8.GetString(request.Message), StringComparison.Ordinal);
        Assert.Equal(69, invite.MaxForwards);
        Assert.Equal(12, invite.Body.Length);
        Assert.Equal("application/sdp", invite.ContentType);

        // The same INVITE again (another edge, or a retry): nothing new goes out.
        Assert.Empty(await call.InviteAsync());
    }

    [Fact]
    public async Task Provisional_and_answer_are_relayed_with_the_callers_dialog_and_the_callee_is_acked()
    {
        var call = NewCall();
        await call.InviteAsync();

        var ringing = CallScript.Parse(Assert.Single(await call.CalleeRespondsAsync(180)));
        Assert.Equal(180, ringing.StatusCode);
        Assert.Equal("z9hG4bK-caller-1", ringing.TopVia.Branch);
        Assert.Equal(call.CallId, ringing.CallId);
        var callerTag = ringing.To.Tag;
        Assert.NotNull(callerTag);
        Assert.NotEqual("bob-tag", callerTag);

        var answer = await call.CalleeRespondsAsync(200);
        Assert.Equal([SipCommandKind.Ack, SipCommandKind.Respond], answer.Select(c => c.Kind));
        var ack = CallScript.Parse(answer[0]);
        Assert.Equal("sip:bob@127.0.0.1:5090", ack.RequestUri);
        Assert.Equal("bob-tag", ack.To.Tag);
        Assert.Equal(new CSeqHeader(1, SipMethod.Ack, "ACK"), ack.CSeq);
        var ok = CallScript.Parse(answer[1]);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(callerTag, ok.To.Tag);
        Assert.Equal("<sip:127.0.0.1:5060>", ok.GetHeader(HeaderId.Contact));

        // A retransmitted 200 is ACKed again, and the caller hears nothing new.
        var again = Assert.Single(await call.CalleeRespondsAsync(200));
        Assert.Equal(SipCommandKind.Ack, again.Kind);
    }

    [Fact]
    public async Task The_callers_bye_ends_both_legs_and_writes_one_cdr_even_when_retried()
    {
        var call = NewCall();
        var ok = await call.AnswerAsync();

        var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], bye.Select(c => c.Kind));
        Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode);
        var calleeBye = CallScript.Parse(bye[1]);
        Assert.Equal(SipMethod.Bye, calleeBye.Method);
        Assert.Equal(call.CalleeInvite!.CallId, calleeBye.CallId);
        Assert.Equal("bob-tag", calleeBye.To.Tag);
        Assert.Equal(2u, calleeBye.CSeq.Number);

        var retried = Assert.Single(await call.CallerSendsAsync("BYE", 2, ok.To.Tag!));
        Assert.Equal(200, CallScript.Parse(retried).StatusCode);

        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
        Assert.Equal(200, cdr.FinalStatus);
        Assert.Equal("sip:1000@127.0.0.1:5060", cdr.CalleeDialled);
        Assert.Equal("sip:1000@127.0.0.1:5090", cdr.CalleeRouted);
        Assert.Equal("sip:alice@127.0.0.1:5070", cdr.Caller);
        Assert.Equal("edge-test", cdr.Edge);
        Assert.True(cdr.BillableSeconds >= 1);
    }

    [Fact]
    public async Task The_callees_bye_is_relayed_to_the_caller_as_an_in_dialog_request()
    {
        var call = NewCall();
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.CalleeRespondsAsync(200))[1]);

        var commands = await call.CalleeSendsByeAsync();

        var toCaller = CallScript.Parse(commands.Single(c => c.Kind == SipCommandKind.Request));
        Assert.Equal("sip:alice@127.0.0.1:5070", toCaller.RequestUri);
        Assert.Equal(call.CallId, toCaller.CallId);
        Assert.Equal(ok.To.Tag, toCaller.From.Tag);
        Assert.Equal("alice-tag", toCaller.To.Tag);
        Assert.Equal(HangupParty.Callee, Assert.Single(_calls.Cdrs(call.CallId)).HungUpBy);
    }

    [Fact]
    public async Task A_busy_callee_is_relayed_and_recorded_as_busy()
    {
        var call = NewCall();
        await call.InviteAsync();

        var busy = CallScript.Parse(Assert.Single(await call.CalleeRespondsAsync(486)));

        Assert.Equal(486, busy.StatusCode);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Busy, cdr.Disposition);
        Assert.Equal(0, cdr.BillableSeconds);
        Assert.Null(cdr.AnswerTime);
    }

    [Fact]
    public async Task A_cancel_while_ringing_answers_the_caller_and_cancels_the_callee()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.CalleeRespondsAsync(180);

        var commands = await call.CallerCancelsAsync();

        Assert.Equal(3, commands.Length);
        Assert.Equal(200, CallScript.Parse(commands[0]).StatusCode);
        Assert.Equal(SipMethod.Cancel, CallScript.Parse(commands[0]).CSeq.Method);
        Assert.Equal(487, CallScript.Parse(commands[1]).StatusCode);
        var cancel = CallScript.Parse(commands[2]);
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(call.CalleeInvite!.TopVia.Branch, cancel.TopVia.Branch);
        Assert.Equal(CallDisposition.Cancelled, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task A_cancel_right_after_the_invite_before_any_provisional_waits_for_one()
    {
        var call = NewCall();
        await call.InviteAsync();

        var commands = await call.CallerCancelsAsync();
        Assert.Equal([200, 487], commands.Select(c => CallScript.Parse(c).StatusCode));

        var cancel = CallScript.Parse(Assert.Single(await call.CalleeRespondsAsync(180)));
        Assert.Equal(SipMethod.Cancel, cancel.Method);
    }

    [Fact]
    public async Task A_second_forks_answer_is_acked_and_hung_up()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.CalleeRespondsAsync(200, toTag: "fork-1");

        var commands = await call.CalleeRespondsAsync(200, toTag: "fork-2", contact: "<sip:bob-mobile@127.0.0.1:5091>");

        Assert.Equal([SipCommandKind.Ack, SipCommandKind.Request], commands.Select(c => c.Kind));
        var bye = CallScript.Parse(commands[1]);
        Assert.Equal(SipMethod.Bye, bye.Method);
        Assert.Equal("fork-2", bye.To.Tag);
        Assert.Equal("sip:bob-mobile@127.0.0.1:5091", bye.RequestUri);
        Assert.Equal(5091, commands[1].Destination.Port);
    }

    [Fact]
    public async Task A_late_offer_is_answered_on_the_callers_ack()
    {
        var call = NewCall(withOffer: false);
        await call.InviteAsync();
        var answer = await call.CalleeRespondsAsync(200);
        var ok = CallScript.Parse(Assert.Single(answer));

        var commands = await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);

        var ack = CallScript.Parse(Assert.Single(commands));
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Equal("bob-tag", ack.To.Tag);
        Assert.Equal(SipCommandFlags.None, Assert.Single(answer).Flags); // the caller's ACK holds the answer: the grain needs it
    }

    [Fact]
    public async Task With_the_offer_in_the_invite_the_edge_may_keep_the_callers_empty_ack_and_the_responses_to_our_byes()
    {
        var call = NewCall();
        await call.InviteAsync();
        Assert.Equal(SipCommandFlags.None, Assert.Single(await call.CalleeRespondsAsync(180)).Flags);

        var answer = await call.CalleeRespondsAsync(200);

        Assert.Equal(SipCommandFlags.EdgeTakesEmptyAck, answer.Single(c => c.Kind == SipCommandKind.Respond).Flags);
        var ok = CallScript.Parse(answer[1]);
        var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!); // no ACK came through: the edge kept it
        Assert.Equal(SipCommandFlags.None, bye[0].Flags); // our 200 to the caller's BYE
        Assert.Equal(SipCommandFlags.NoReport | SipCommandFlags.ReportChallenge, bye[1].Flags); // the callee's answer to our BYE changes nothing, but a challenge
        Assert.Equal(CallDisposition.Answered, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task An_ack_timeout_ends_an_answered_call_whose_edge_kept_the_ack_with_byes_it_needs_no_answer_to()
    {
        var call = NewCall();
        await call.InviteAsync();
        await call.CalleeRespondsAsync(200);

        var commands = await _calls.Call(call.CallId).OnAckTimeout(call.CallId, 1);

        Assert.Equal([SipMethod.Bye, SipMethod.Bye], commands.Select(c => CallScript.Parse(c).Method));
        Assert.All(commands, c => Assert.True(c.Flags.HasFlag(SipCommandFlags.NoReport)));
        Assert.Equal(HangupParty.System, Assert.Single(_calls.Cdrs(call.CallId)).HungUpBy);
    }

    [Fact]
    public async Task A_late_bye_in_a_dialog_of_ours_whose_call_is_forgotten_gets_200()
    {
        var call = NewCall();

        var response = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("BYE", 2, "cc0123456789abcdef")));

        Assert.Equal(200, response.StatusCode); // its call ended on a silo that died before the first 200 left
        Assert.Empty(_calls.Cdrs(call.CallId));
    }

    [Fact]
    public async Task An_unknown_call_gets_481()
    {
        var call = NewCall();
        var response = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("BYE", 2, "nobody")));
        Assert.Equal(481, response.StatusCode);
        Assert.Empty(_calls.Cdrs(call.CallId));
    }
}
