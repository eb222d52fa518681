using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Messages;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// What the grain says it need not hear back stays at the edge (SipCommandFlags), on a node of its own so the counts
/// are this test's: the caller's empty ACK of a 2xx whose offer was in the INVITE, and the callee's answer to the BYE
/// the grain sent. A late offer's ACK carries the answer, so it still reaches the grain and goes on to the callee.
/// </summary>
public sealed class EdgeKeptMessagesTests
{
    private const string Caller = "kept-caller";

    [Fact]
    public async Task The_edge_keeps_an_empty_ack_and_the_answer_to_our_bye_and_hands_a_late_offers_ack_to_the_grain()
    {
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{callee.LocalPort}");
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        var prefix = $"kept-{Guid.NewGuid():N}"[..17];

        // Early offer: the grain ACKs the callee as soon as it answers; the caller's ACK then stops at the edge.
        var early = $"{prefix}-a";
        await CallAndHangUpAsync(caller, callee, early, withOffer: true);

        // Late offer: the caller's ACK holds the answer, which the callee must get in the grain's ACK.
        var late = $"{prefix}-b";
        await CallAndHangUpAsync(caller, callee, late, withOffer: false);

        Assert.Equal(2, node.CdrsFor(prefix).Count);

        // The caller's 200 to its BYE comes from the grain before the callee answers ours, so the second answer may
        // still be on its way through the edge: read the counters until it is counted (bounded).
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var answers = new System.Text.RegularExpressions.Regex("callcontrol_edge_messages_kept_total\\{[^}]*message=\"response\"[^}]*\\} 2\\b");
        var metrics = "";
        for (var attempt = 0; attempt < 50 && !answers.IsMatch(metrics); attempt++)
        {
            await Task.Delay(attempt == 0 ? 0 : 100);
            metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        }

        Assert.Matches(answers, metrics);
        Assert.Matches("callcontrol_edge_messages_kept_total\\{[^}]*message=\"ack\"[^}]*\\} 1\\b", metrics);
    }

    private static async Task CallAndHangUpAsync(UdpPhone caller, UdpPhone callee, string callId, bool withOffer)
    {
        await caller.SendAsync(Invite(caller, Caller, callId, withOffer));
        var invite = await NextFinalAsync(callee);
        Assert.Equal((SipMethod.Invite, withOffer), (invite.Method, invite.HasBody));
        await callee.SendAsync(Answer(callee, invite, "callee-" + callId[^1]));
        var ok = await NextFinalAsync(caller);
        Assert.Equal((200, callId), (ok.StatusCode, ok.CallId));

        var ack = InDialog(caller, Caller, SipMethod.Ack, callId, 1, ok);
        await caller.SendAsync(withOffer ? ack.ToArray() : ack.Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        var calleeAck = await NextFinalAsync(callee);
        Assert.Equal((SipMethod.Ack, !withOffer), (calleeAck.Method, calleeAck.HasBody));

        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Bye, callId, 2, ok).ToArray());
        var bye = await NextFinalAsync(callee); // the callee's next message: no second ACK came before it
        Assert.Equal(SipMethod.Bye, bye.Method);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        var byeOk = await NextFinalAsync(caller);
        Assert.Equal((200, SipMethod.Bye, callId), (byeOk.StatusCode, byeOk.CSeq.Method, byeOk.CallId));
    }
}
