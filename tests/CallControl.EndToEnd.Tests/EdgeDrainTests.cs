using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// SIGTERM on an edge (the embedded node's, with a drain deadline): it fails readiness and OPTIONS, answers new
/// INVITEs and REGISTERs with 503 and Retry-After, still serves in-dialog requests and its open transactions, and
/// exits once no transaction waits for a final response, well before the deadline.
/// </summary>
public sealed class EdgeDrainTests
{
    private const string Caller = "drain-caller";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_draining_edge_refuses_new_work_serves_its_calls_and_exits_when_its_transactions_are_done()
    {
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{callee.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Edge__DrainTimeout"] = "00:00:40",
            ["CallControl__Edge__RetryAfter"] = "00:00:07",
        });
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        var prefix = $"drain-{Guid.NewGuid():N}"[..14];

        // Call A is answered before the stop; call B is still ringing when it comes.
        var a = await CallAsync(caller, callee, $"{prefix}-a");
        var aInvite = a.CalleeInvite;
        await callee.SendAsync(Answer(callee, aInvite, "callee-a"));
        var aOk = await NextFinalAsync(caller);
        Assert.Equal(200, aOk.StatusCode);
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Ack, a.CallId, 1, aOk).ToArray());
        Assert.Equal(SipMethod.Ack, (await callee.ReceiveMessageAsync()).Method);

        var b = await CallAsync(caller, callee, $"{prefix}-b");

        node.Terminate();
        await node.WaitForLineAsync(l => l.Contains("SIP edge draining", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("draining", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // New work is refused with 503 and Retry-After; so is the balancer's probe.
        using var newcomer = new UdpPhone(node.SipPort);
        foreach (var method in new[] { SipMethod.Invite, SipMethod.Register, SipMethod.Options })
        {
            await newcomer.SendAsync(OutOfDialog(newcomer, method, $"{prefix}-new-{method.Name()}"));
            var refused = await NextFinalAsync(newcomer);
            Assert.Equal(503, refused.StatusCode);
            Assert.Equal("7", refused.GetHeader(HeaderId.RetryAfter));
        }

        // The answered call is still served: the caller's BYE reaches the callee and is answered.
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Bye, a.CallId, 2, aOk).ToArray());
        var bye = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        var byeOk = await NextFinalAsync(caller);
        Assert.Equal((200, SipMethod.Bye), (byeOk.StatusCode, byeOk.CSeq.Method));

        // The ringing call's transaction is served to its end; then nothing is left and the node exits.
        await callee.SendAsync(Answer(callee, b.CalleeInvite, "callee-b"));
        var bOk = await NextFinalAsync(caller);
        Assert.Equal((200, b.CallId), (bOk.StatusCode, bOk.CallId));
        await caller.SendAsync(InDialog(caller, Caller, SipMethod.Ack, b.CallId, 1, bOk).ToArray());

        var exited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await node.WaitForExitAsync(Deadline));
        Assert.True(exited.Elapsed < Deadline / 2, $"the node took {exited.Elapsed} to exit after its last transaction; the drain should have ended at once");
        Assert.Contains("SIP edge drained: 0 transactions left unfinished", node.Output, StringComparison.Ordinal);
        var cdr = Assert.Single(node.CdrsFor($"{prefix}-a"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
    }

    /// <summary>Sends an INVITE; returns once the callee rings (its 180 relayed to the caller).</summary>
    private static async Task<(string CallId, SipMessage CalleeInvite)> CallAsync(UdpPhone caller, UdpPhone callee, string callId)
    {
        await caller.SendAsync(OutOfDialog(caller, SipMethod.Invite, callId));
        var invite = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        await callee.SendAsync(SipResponses.Create(invite, 180, toTag: "callee-" + callId[^1]).ToArray());
        SipMessage ringing;
        do
        {
            ringing = await caller.ReceiveMessageAsync();
        }
        while (ringing.StatusCode == 100);

        Assert.Equal((180, callId), (ringing.StatusCode, ringing.CallId));
        return (callId, invite);
    }

    private static byte[] OutOfDialog(UdpPhone phone, SipMethod method, string callId)
    {
        var builder = Request(phone, Caller, method, method == SipMethod.Register ? "sip:127.0.0.1" : $"sip:1000@127.0.0.1:{phone.NodePort}", callId, 1, toTag: null);
        return method == SipMethod.Invite ? builder.Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray() : builder.ToArray();
    }
}
