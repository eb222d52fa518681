using System.Globalization;
using System.Text.RegularExpressions;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Two edges behind the Kamailio load balancer scripts/cluster puts on the SIP entry point: calls spread over both
/// edges, the 200's Contact names the balancer (so ACK and BYE come back through it), and when one edge is SIGKILLed
/// new calls are carried by the other, while the balancer's OPTIONS probes take the dead one out of its set.
/// </summary>
public sealed class BalancerTests(ITestOutputHelper output) : IDisposable
{
    private const int SpreadCalls = 20;
    private const int SurvivorCalls = 10;
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-balancer-").FullName;

    [Fact]
    public async Task Calls_spread_over_both_edges_and_go_on_through_the_survivor_when_one_is_killed()
    {
        var calleePort = FreePorts.Next();
        await using var cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{calleePort}", silos: 1, edges: 2);
        try
        {
            await using (var callee = await Sipp.StartCalleeAsync("uas", "udp", calleePort, 1 + SpreadCalls, _work))
            {
                await OneCallWhoseDialogComesBackThroughTheBalancerAsync(cluster);
                var (exit, sippOutput) = await Sipp.RunCallerAsync("uac", "udp", cluster.SipPort, SpreadCalls, rate: 20, "lb-spread-", _work);
                Assert.True(exit == 0, sippOutput);
                Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            // The hash over Call-ID spreads calls: 20 all on one edge would happen about once in 500,000 runs.
            var spread = await cluster.CdrsForAsync("lb-spread-");
            Assert.Equal(SpreadCalls, spread.Count(c => c.Disposition == CallDisposition.Answered));
            Assert.Equal(["edge-1", "edge-2"], spread.Select(c => c.Edge).Distinct().Order(StringComparer.Ordinal));

            var killedAt = DateTimeOffset.UtcNow;
            cluster.Kill("edge-1");

            // New calls at once: those whose hash names the dead edge before its probe fails get no 100 Trying from
            // it and go to the next edge after the balancer's 1.5 s; afterwards the dead edge is out of the set.
            await using (var callee = await Sipp.StartCalleeAsync("uas", "udp", calleePort, SurvivorCalls, _work))
            {
                var (exit, sippOutput) = await Sipp.RunCallerAsync("uac", "udp", cluster.SipPort, SurvivorCalls, rate: 10, "lb-survivor-", _work);
                Assert.True(exit == 0, sippOutput);
                Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            }

            var survivors = await cluster.CdrsForAsync("lb-survivor-");
            Assert.Equal(SurvivorCalls, survivors.Count(c => c.Disposition == CallDisposition.Answered && c.Edge == "edge-2"));
            Assert.True(DateTimeOffset.UtcNow - killedAt < TimeSpan.FromSeconds(30), $"the survivor calls took {DateTimeOffset.UtcNow - killedAt}");

            // The probes' verdict: the dead edge is inactive in both sets, the live one active.
            var edges = await cluster.BalancerEdgesAsync();
            var dead = $"sip:127.0.0.1:{cluster.BalancedEdgePort(1)}";
            var live = $"sip:127.0.0.1:{cluster.BalancedEdgePort(2)}";
            Assert.All(edges.Where(e => e.Uri.StartsWith(dead, StringComparison.Ordinal)), e => Assert.StartsWith("I", e.Flags, StringComparison.Ordinal));
            Assert.All(edges.Where(e => e.Uri.StartsWith(live, StringComparison.Ordinal)), e => Assert.StartsWith("A", e.Flags, StringComparison.Ordinal));
            Assert.Equal(4, edges.Count);

            var down = Regex.Match(cluster.ProcessLog("kamailio"), $@"balancer: (\d+\.\d+) edge {Regex.Escape(dead)} down");
            Assert.True(down.Success, cluster.ProcessLog("kamailio"));
            var detected = TimeSpan.FromSeconds(double.Parse(down.Groups[1].Value, CultureInfo.InvariantCulture) - (killedAt.ToUnixTimeMilliseconds() / 1000.0));
            output.WriteLine($"the SIGKILLed edge left the dispatcher set {detected.TotalSeconds:F2} s after the kill");
            Assert.InRange(detected, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        }
        catch
        {
            output.WriteLine(cluster.Logs());
            throw;
        }
    }

    /// <summary>A call by hand: the 200's Contact is the balancer; ACK and BYE go to it and reach an edge.</summary>
    private static async Task OneCallWhoseDialogComesBackThroughTheBalancerAsync(LocalCluster cluster)
    {
        using var caller = new UdpPhone(cluster.SipPort);
        var callId = $"lb-phone-{Guid.NewGuid():N}@127.0.0.1";
        var contact = $"sip:phone@127.0.0.1:{caller.LocalPort}";
        var sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"u8.ToArray();
        await caller.SendAsync(Request(SipMethod.Invite, $"sip:1000@127.0.0.1:{cluster.SipPort}", callId, 1, null, contact, caller.LocalPort, sdp));

        var ok = await ReceiveFinalAsync(caller, SipMethod.Invite);
        Assert.Equal(200, ok.StatusCode);
        var edgeContact = Assert.Single(ok.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(("127.0.0.1", (int?)cluster.SipPort, (string?)null), (edgeContact.Host, edgeContact.Port, edgeContact.Transport));

        await caller.SendAsync(Request(SipMethod.Ack, edgeContact.ToString(), callId, 1, ok.To.Tag, contact, caller.LocalPort));
        await caller.SendAsync(Request(SipMethod.Bye, edgeContact.ToString(), callId, 2, ok.To.Tag, contact, caller.LocalPort));
        Assert.Equal(200, (await ReceiveFinalAsync(caller, SipMethod.Bye)).StatusCode);

        var cdr = Assert.Single(await cluster.CdrsForAsync(callId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
    }

    /// <summary>The final response to <paramref name="method"/>, past provisionals and the INVITE's 200 retransmitted
    /// while the ACK travels (a bounded number of messages, each receive bounded in time).</summary>
    private static async Task<SipMessage> ReceiveFinalAsync(UdpPhone phone, SipMethod method)
    {
        for (var i = 0; i < 10; i++)
        {
            var message = await phone.ReceiveMessageAsync();
            if (message.StatusCode >= 200 && message.CSeq.Method == method)
            {
                return message;
            }
        }

        throw new TimeoutException($"no final response to {method.Name()}");
    }

    private static byte[] Request(SipMethod method, string uri, string callId, uint cseq, string? toTag, string contact, int localPort, byte[]? body = null)
        => PhoneRequests.Build(method, uri, "UDP", localPort, "lb-phone", callId, cseq, toTag, contact).Body(body ?? [], "application/sdp").ToArray();

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
