using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Admission control on the embedded node: with a latency target of one tick every grain call is "too slow", so once
/// an interval with completed grain calls closes, the edge refuses new INVITEs with 503 Overloaded and Retry-After,
/// before any grain, while the answered call's BYE still goes through; an interval without grain calls ends it.
/// Each step waits for the node's own state-change log line, never for a guessed time; the interval (4 s) is the
/// margin between seeing "refusing" and the INVITE that must be refused. The same for the receive-queue signal, with a
/// queue target of one tick, where the refusal is also shown to be stateless and its ACK to stop at the edge.
/// </summary>
public sealed class EdgeOverloadTests
{
    private const string Caller = "overload-caller";
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_overloaded_edge_refuses_new_calls_with_503_and_Retry_After_and_still_serves_answered_ones()
    {
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{callee.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Edge__Admission__LatencyTarget"] = "00:00:00.0000001",
            ["CallControl__Edge__Admission__Interval"] = "00:00:04",
            ["CallControl__Edge__Admission__MinCompletions"] = "1", // one call's grain calls are all the test has
            ["CallControl__Edge__RetryAfter"] = "00:00:09",
        });
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        var prefix = $"overload-{Guid.NewGuid():N}"[..17];

        // Call A is taken (no interval has seen a grain call yet) and answered; its grain calls are all over the target.
        var a = $"{prefix}-a";
        var (_, aOk) = await AnsweredCallAsync(caller, callee, a);
        Assert.Equal(SipMethod.Ack, (await callee.ReceiveMessageAsync()).Method);
        await node.WaitForLineAsync(l => l.Contains("SIP edge refusing new calls (503 Overloaded)", StringComparison.Ordinal), LogWait);

        // Call B is refused by the edge itself: 503 Overloaded with the configured Retry-After.
        await caller.SendAsync(Invite(caller, Caller, $"{prefix}-b"));
        var refused = await NextFinalAsync(caller);
        Assert.Equal((503, "Overloaded", $"{prefix}-b"), (refused.StatusCode, refused.ReasonPhrase, refused.CallId));
        Assert.Equal("9", refused.GetHeader(HeaderId.RetryAfter));

        // The answered call still completes: the callee's next message is A's BYE (B never reached it), answered.
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Bye, a, 2, aOk).ToArray());
        var bye = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        var byeOk = await NextFinalAsync(caller);
        Assert.Equal((200, SipMethod.Bye, a), (byeOk.StatusCode, byeOk.CSeq.Method, byeOk.CallId));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("callcontrol_calls_refused_total\\{[^}]*reason=\"overload\",signal=\"latency\"[^}]*\\} 1\\b", metrics);

        // With no grain calls for an interval, the edge takes new calls again: C rings the callee.
        await node.WaitForLineAsync(l => l.Contains("SIP edge admitting new calls again; 1 refused", StringComparison.Ordinal), LogWait);
        await CallAsync(caller, callee, $"{prefix}-c");
        Assert.Empty(node.CdrsFor($"{prefix}-b"));
    }

    [Fact]
    public async Task An_edge_whose_receive_queue_stands_refuses_new_calls_statelessly_and_drops_their_ACKs()
    {
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{callee.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Edge__Admission__QueueDelayTarget"] = "00:00:00.0000001", // every INVITE waits longer than a tick
            ["CallControl__Edge__Admission__LatencyTarget"] = "00:00:10", // so that only the queue signal can refuse
            ["CallControl__Edge__Admission__Interval"] = "00:00:02",
            ["CallControl__Edge__Admission__MinCompletions"] = "1",
            ["CallControl__Edge__RetryAfter"] = "00:00:07",
        });
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        var prefix = $"queue-{Guid.NewGuid():N}"[..17];

        // Call A is taken (no interval has closed yet) and answered.
        var a = $"{prefix}-a";
        var (aInvite, aOk) = await AnsweredCallAsync(caller, callee, a);
        await node.WaitForLineAsync(l => l.Contains("SIP edge refusing new calls (503 Overloaded): the shortest wait of a new INVITE in the receive queue", StringComparison.Ordinal), LogWait);

        // Call B is refused statelessly: the first thing the caller gets back is the 503, with no 100 Trying before it.
        var b = $"{prefix}-b";
        await caller.SendAsync(Invite(caller, Caller, b));
        var refused = await caller.ReceiveMessageAsync();
        Assert.Equal((503, "Overloaded", b), (refused.StatusCode, refused.ReasonPhrase, refused.CallId));
        Assert.Equal("7", refused.GetHeader(HeaderId.RetryAfter));

        // B's ACK carries the edge's To tag and is dropped there: no grain has that dialog. The OPTIONS behind it is
        // served after it, in arrival order, so its answer says the ACK has been dealt with. The edge has then kept two
        // ACKs: A's, which was empty and acknowledged a 2xx the grain had marked for the edge to take, and B's.
        await caller.SendAsync(Request(caller, Caller, SipMethod.Ack, $"sip:1000@127.0.0.1:{node.SipPort}", b, 1, refused.To.Tag).ToArray());
        await caller.SendAsync(Request(caller, Caller, SipMethod.Options, $"sip:127.0.0.1:{node.SipPort}", $"{prefix}-o", 1, toTag: null).ToArray());
        var options = await NextFinalAsync(caller);
        Assert.Equal((200, SipMethod.Options), (options.StatusCode, options.CSeq.Method));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches("callcontrol_edge_messages_kept_total\\{[^}]*message=\"ack\"[^}]*\\} 2\\b", metrics);
        Assert.Matches("callcontrol_calls_refused_total\\{[^}]*reason=\"overload\",signal=\"queue\"[^}]*\\} 1\\b", metrics);

        // The answered call still completes: the callee's next request is A's BYE (B never reached it).
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Bye, a, 2, aOk).ToArray());
        var bye = await NextAsync(callee, m => m.IsRequest && m.Method != SipMethod.Ack);
        Assert.Equal((SipMethod.Bye, aInvite.CallId), (bye.Method, bye.CallId)); // the callee leg's own Call-ID
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        var byeOk = await NextFinalAsync(caller);
        Assert.Equal((200, SipMethod.Bye, a), (byeOk.StatusCode, byeOk.CSeq.Method, byeOk.CallId));
        Assert.Empty(node.CdrsFor(b));
    }

    /// <summary>A call set up, answered and ACKed by the caller; returns the callee's INVITE and the caller's 200.</summary>
    private static async Task<(SipMessage Invite, SipMessage Ok)> AnsweredCallAsync(UdpPhone caller, UdpPhone callee, string callId)
    {
        var invite = await CallAsync(caller, callee, callId);
        await callee.SendAsync(Answer(callee, invite, "callee-" + callId[^1]));
        var ok = await NextFinalAsync(caller);
        Assert.Equal((200, callId), (ok.StatusCode, ok.CallId));
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Ack, callId, 1, ok).ToArray());
        return (invite, ok);
    }

    /// <summary>Sends an INVITE; returns the callee's copy once its 180 reached the caller.</summary>
    private static async Task<SipMessage> CallAsync(UdpPhone caller, UdpPhone callee, string callId)
    {
        await caller.SendAsync(Invite(caller, Caller, callId));
        var invite = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        await callee.SendAsync(SipResponses.Create(invite, 180, toTag: "callee-" + callId[^1]).ToArray());
        var ringing = await NextAsync(caller, m => m.StatusCode != 100);
        Assert.Equal((180, callId), (ringing.StatusCode, ringing.CallId));
        return invite;
    }
}
