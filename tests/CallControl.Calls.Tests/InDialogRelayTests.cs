using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>re-INVITE, UPDATE, INFO and the like cross the B2BUA in transactions of their own on each leg.</summary>
public sealed class InDialogRelayTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    private async Task<(CallScript Call, string CallerTag)> AnsweredCallAsync()
    {
        var call = new CallScript(_calls, $"relay-{Guid.NewGuid():N}@127.0.0.1");
        var ok = await call.AnswerAsync();
        return (call, ok.To.Tag!);
    }

    [Fact]
    public async Task A_callers_reinvite_with_an_offer_is_relayed_and_its_answer_acked_on_the_callee_leg()
    {
        var (call, callerTag) = await AnsweredCallAsync();

        var relayed = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 2, callerTag, body: "v=0\r\no=hold\r\n")));
        Assert.Equal(SipMethod.Invite, relayed.Method);
        Assert.Equal(call.CalleeInvite!.CallId, relayed.CallId);
        Assert.Equal("bob-tag", relayed.To.Tag);
        Assert.Equal(2u, relayed.CSeq.Number);
        Assert.Equal("v=0\r\no=hold\r\n", System.Text.Encoding.ASCII.GetString(relayed.Body.Span));
        Assert.NotNull(relayed.GetHeader(HeaderId.Contact));

        var answer = await call.CalleeAnswersAsync(relayed, 200, body: "v=0\r\no=held\r\n");

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Ack], answer.Select(c => c.Kind));
        var ok = CallScript.Parse(answer[0]);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(call.CallId, ok.CallId);
        Assert.Equal(new CSeqHeader(2, SipMethod.Invite, "INVITE"), ok.CSeq);
        Assert.Equal("v=0\r\no=held\r\n", System.Text.Encoding.ASCII.GetString(ok.Body.Span));
        var ack = CallScript.Parse(answer[1]);
        Assert.Equal(new CSeqHeader(2, SipMethod.Ack, "ACK"), ack.CSeq);

        // The caller's ACK for that 200 ends there: the callee leg is acknowledged already.
        Assert.Empty(await call.CallerSendsAsync("ACK", 2, callerTag));
    }

    [Fact]
    public async Task A_callees_info_reaches_the_caller_and_the_callers_answer_comes_back()
    {
        var (call, callerTag) = await AnsweredCallAsync();

        var info = CallScript.Parse(Assert.Single(await call.CalleeSendsAsync("INFO", 1, body: "Signal=5\r\nDuration=160\r\n")));
        Assert.Equal(SipMethod.Info, info.Method);
        Assert.Equal(call.CallId, info.CallId);
        Assert.Equal(callerTag, info.From.Tag);
        Assert.Equal("application/dtmf-relay", info.ContentType);

        var back = CallScript.Parse(Assert.Single(await call.CallerAnswersAsync(info, 200)));
        Assert.Equal(200, back.StatusCode);
        Assert.Equal(call.CalleeInvite!.CallId, back.CallId);
        Assert.Equal(new CSeqHeader(1, SipMethod.Info, "INFO"), back.CSeq);
    }

    [Fact]
    public async Task A_second_reinvite_while_one_is_pending_gets_491()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        await call.CallerSendsAsync("INVITE", 2, callerTag, body: "v=0\r\n");

        var second = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 3, callerTag, body: "v=0\r\n")));

        Assert.Equal(491, second.StatusCode);
    }
}
