using System.Diagnostics;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A call from a UDP caller (through the balancer) to a phone reached over a TCP or TLS flow, played step by step so a
/// test sees on which connection each message arrives and how long the answer took.
/// </summary>
internal sealed class FlowCall(UdpPhone caller, string callee)
{
    private const string CallerName = "carl";

    public string CallId { get; } = $"flow-call-{Guid.NewGuid():N}@127.0.0.1";

    /// <summary>The INVITE the phone received, and the caller's 200 (set by <see cref="AnswerOnAsync"/>).</summary>
    public SipMessage? Invite { get; private set; }

    public SipMessage? Ok { get; private set; }

    /// <summary>How long after the caller's INVITE the phone's flow got its INVITE.</summary>
    public TimeSpan InviteArrived { get; private set; }

    /// <summary>
    /// Sends the caller's INVITE, expects it on <paramref name="flow"/>, answers it there with 200 at once, and returns
    /// the time from the INVITE sent to the caller's 200 received.
    /// </summary>
    public async Task<TimeSpan> AnswerOnAsync(StreamPeer flow, string phoneTag)
    {
        var clock = Stopwatch.StartNew();
        await caller.SendAsync(Request(SipMethod.Invite, $"sip:{callee}@127.0.0.1:{caller.NodePort}", 1, toTag: null)
            .Body(System.Text.Encoding.ASCII.GetBytes(UdpCalls.Sdp), "application/sdp").ToArray());
        var invite = await flow.ReceiveMessageAsync();
        InviteArrived = clock.Elapsed;
        Assert.True(invite.Method == SipMethod.Invite, invite.ToString());
        await flow.SendAsync(SipResponses.Create(invite, 200, toTag: phoneTag)
            .Add(HeaderId.Contact, $"<{invite.RequestUri}>")
            .Body(System.Text.Encoding.ASCII.GetBytes(UdpCalls.Sdp), "application/sdp").ToArray());
        var ok = await UdpCalls.NextFinalAsync(caller);
        var elapsed = clock.Elapsed;
        Assert.True(ok.StatusCode == 200 && ok.CSeq.Method == SipMethod.Invite, $"the caller got {ok.StatusCode} {ok.ReasonPhrase} to its INVITE after {elapsed}");
        (Invite, Ok) = (invite, ok);
        return elapsed;
    }

    /// <summary>The caller's ACK, which must arrive on <paramref name="flow"/>.</summary>
    public async Task AckAsync(StreamPeer flow)
    {
        await caller.SendAsync(Request(SipMethod.Ack, CallerTarget(), 1, Ok!.To.Tag).ToArray());
        var ack = await flow.ReceiveMessageAsync();
        Assert.Equal((SipMethod.Ack, Invite!.CallId), (ack.Method, ack.CallId));
    }

    /// <summary>The caller hangs up: its BYE must arrive on <paramref name="flow"/>, whose 200 must reach the caller.</summary>
    public async Task CallerHangsUpAsync(StreamPeer flow)
    {
        await caller.SendAsync(Request(SipMethod.Bye, CallerTarget(), 2, Ok!.To.Tag).ToArray());
        var bye = await flow.ReceiveMessageAsync();
        Assert.Equal((SipMethod.Bye, Invite!.CallId), (bye.Method, bye.CallId));
        await flow.SendAsync(SipResponses.Simple(bye, 200));
        var done = await UdpCalls.NextAsync(caller, m => !m.IsRequest && m.CSeq.Method == SipMethod.Bye);
        Assert.Equal(200, done.StatusCode);
    }

    /// <summary>The phone hangs up: its BYE goes out on <paramref name="flow"/>, reaches the caller, and the 200 comes back on the flow.</summary>
    public async Task PhoneHangsUpAsync(StreamPeer flow, string transport, string phoneTag)
    {
        var invite = Invite!;
        await flow.SendAsync(SipMessageBuilder.Request(SipMethod.Bye, Assert.Single(invite.Addresses(HeaderId.Contact)).Uri.ToString())
            .Add(HeaderId.Via, $"SIP/2.0/{transport.ToUpperInvariant()} 127.0.0.1:{flow.LocalPort};branch=z9hG4bK-phone-bye-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"{invite.GetHeader(HeaderId.To)};tag={phoneTag}")
            .Add(HeaderId.To, invite.GetHeader(HeaderId.From)!)
            .Add(HeaderId.CallId, invite.CallId)
            .Add(HeaderId.CSeq, "1 BYE")
            .ToArray());
        var bye = await UdpCalls.NextAsync(caller, m => m.IsRequest);
        Assert.Equal((SipMethod.Bye, CallId), (bye.Method, bye.CallId));

        // The response goes where the BYE's Via says (the edge that sent it), not to the balancer the caller calls.
        var balancer = caller.NodePort;
        caller.NodePort = bye.TopVia.Port ?? 5060;
        await caller.SendAsync(SipResponses.Simple(bye, 200));
        caller.NodePort = balancer;
        Assert.Equal(200, (await FlowPhone.NextResponseAsync(flow, SipMethod.Bye)).StatusCode);
    }

    private string CallerTarget() => Assert.Single(Ok!.Addresses(HeaderId.Contact)).Uri.ToString();

    private SipMessageBuilder Request(SipMethod method, string uri, uint cseq, string? toTag)
        => PhoneRequests.Build(method, uri, "UDP", caller.LocalPort, CallerName, CallId, cseq, toTag, $"sip:{CallerName}@127.0.0.1:{caller.LocalPort}", callee);
}
