using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Issue 18 item 4, edge death with stream flows: a phone registered over TCP or TLS through edge 1 sees edge 1 die
/// (SIGKILL: a death, not a drain), connects to edge 2 and registers again, and the next call reaches it over the new
/// connection: answered, acknowledged and hung up there, never sent into the dead edge's connection. A binding left on
/// the dead edge's flow is skipped (once the edge directory counts the edge dead) or its fork fails within the grains'
/// edge dispatch timeout (2 s, before): never a failed call, nor one held near the ring timeout, while another flow exists.
/// </summary>
/// <remarks>
/// The phones connect to each edge's own port, not to the balancer: the balancer relays TCP requests but adds no Path
/// and keeps no connection alias, so a binding registered through it would be a flow between balancer and edge, and
/// the edge's INVITE to the phone would make the balancer open a connection to the phone's ephemeral port. A phone
/// with two edges as outbound proxies (DNS SRV) connects to one, then to the other, as here. The caller calls over
/// UDP through the balancer, once the balancer's probes have taken the dead edge out.
/// </remarks>
public sealed class EdgeDeathFlowTests(EdgeDeathFlowFixture fixture, ITestOutputHelper output) : IClassFixture<EdgeDeathFlowFixture>
{
    /// <summary>The longest a call may take to be answered by a phone that answers at once (the ring timeout is 30 s).</summary>
    private static readonly TimeSpan PromptAnswer = TimeSpan.FromSeconds(5);

    private LocalCluster Cluster => fixture.Cluster;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_phone_that_re_registers_through_edge_2_after_edge_1_dies_is_called_over_its_new_connection(bool tls)
    {
        await RunAsync(async () =>
        {
            var phone = new FlowPhone(tls ? "alice-tls" : "alice-tcp", EdgeDeathFlowFixture.Password, tls);
            await using var first = await StreamPeer.ConnectAsync(EdgePort(1, tls), tls);
            var contactPort = first.LocalPort; // this phone keeps its Contact across connections
            Assert.Equal(200, (await phone.RegisterAsync(first, contactPort)).StatusCode);

            await using var second = await EdgeDiesAndPhoneReconnectsAsync(first, tls);
            var ok = await phone.RegisterAsync(second, contactPort);
            Assert.Equal(200, ok.StatusCode);
            Assert.Equal(phone.ContactUri(contactPort), Assert.Single(ok.Addresses(HeaderId.Contact)).Uri.ToString());

            using var caller = new UdpPhone(Cluster.SipPort);
            var call = new FlowCall(caller, phone.User);
            var answered = await call.AnswerOnAsync(second, "alice-phone");
            output.WriteLine($"the INVITE reached the new flow after {call.InviteArrived.TotalMilliseconds:F0} ms, the 200 the caller after {answered.TotalMilliseconds:F0} ms");
            Assert.Equal(phone.ContactUri(contactPort), call.Invite!.RequestUri);
            await call.AckAsync(second);
            await call.CallerHangsUpAsync(second);

            var cdr = Assert.Single(await Cluster.CdrsForAsync(call.CallId));
            Assert.Equal((CallDisposition.Answered, HangupParty.Caller, "edge-2"), (cdr.Disposition, cdr.HungUpBy, cdr.Edge));
        });
    }

    [Fact]
    public async Task A_binding_left_on_the_dead_edge_neither_fails_nor_holds_the_call_answered_on_the_new_flow()
    {
        await RunAsync(async () =>
        {
            var phone = new FlowPhone("carol", EdgeDeathFlowFixture.Password);
            await using var first = await StreamPeer.ConnectAsync(EdgePort(1, tls: false), tls: false);
            Assert.Equal(200, (await phone.RegisterAsync(first, first.LocalPort)).StatusCode);

            // A phone whose socket changed names its new port: the registrar now holds the old binding, on dead edge
            // 1's connection, and the new one on edge 2's.
            await using var second = await EdgeDiesAndPhoneReconnectsAsync(first, tls: false);
            var ok = await phone.RegisterAsync(second, second.LocalPort);
            Assert.Equal(200, ok.StatusCode);
            var listed = ok.Addresses(HeaderId.Contact).Select(c => c.Uri.ToString()).ToList();
            output.WriteLine($"the 200 lists: {string.Join(", ", listed)}");
            Assert.Contains(phone.ContactUri(second.LocalPort), listed);

            // Two calls in a row: the second shows whether the first taught the cluster that edge 1 is gone.
            using var caller = new UdpPhone(Cluster.SipPort);
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                var call = new FlowCall(caller, phone.User);
                var answered = await call.AnswerOnAsync(second, "carol-phone");
                output.WriteLine($"call {attempt}: the INVITE reached the new flow after {call.InviteArrived.TotalMilliseconds:F0} ms, the 200 the caller after {answered.TotalMilliseconds:F0} ms");
                Assert.Equal(phone.ContactUri(second.LocalPort), call.Invite!.RequestUri);
                Assert.True(answered < PromptAnswer, $"call {attempt} took {answered} to be answered: the fork through the dead edge held it");
                await call.AckAsync(second);
                await call.PhoneHangsUpAsync(second, "tcp", "carol-phone");

                var cdr = Assert.Single(await Cluster.CdrsForAsync(call.CallId));
                Assert.Equal((CallDisposition.Answered, HangupParty.Callee), (cdr.Disposition, cdr.HungUpBy));
                Assert.Equal(phone.ContactUri(second.LocalPort), cdr.CalleeRouted);
            }

            output.WriteLine(string.Join("\n", Cluster.SiloLog(1).Split('\n').Where(l => l.Contains("edge edge-1", StringComparison.Ordinal))));
        });
    }

    [Fact]
    public async Task An_outbound_phone_re_registering_its_instance_through_edge_2_replaces_the_dead_flow()
    {
        await RunAsync(async () =>
        {
            var phone = new FlowPhone("dave", EdgeDeathFlowFixture.Password) { Instance = $"urn:uuid:{Guid.NewGuid()}" };
            await using var first = await StreamPeer.ConnectAsync(EdgePort(1, tls: false), tls: false);
            var registered = await phone.RegisterAsync(first, first.LocalPort);
            Assert.Equal(200, registered.StatusCode);
            AssertOutbound(registered, phone, first.LocalPort);

            // RFC 5626 §6: the same instance and reg-id through another flow replace the old flow, whatever the Contact.
            await using var second = await EdgeDiesAndPhoneReconnectsAsync(first, tls: false);
            var ok = await phone.RegisterAsync(second, second.LocalPort);
            Assert.Equal(200, ok.StatusCode);
            AssertOutbound(ok, phone, second.LocalPort);

            using var caller = new UdpPhone(Cluster.SipPort);
            var call = new FlowCall(caller, phone.User);
            var answered = await call.AnswerOnAsync(second, "dave-phone");
            Assert.True(answered < PromptAnswer, $"the call took {answered} to be answered");
            await call.AckAsync(second);
            await call.CallerHangsUpAsync(second);
            Assert.Equal(CallDisposition.Answered, Assert.Single(await Cluster.CdrsForAsync(call.CallId)).Disposition);
        });
    }

    /// <summary>The registrar's 200 to an outbound REGISTER: <c>Require: outbound</c>, and one binding, the instance's, at <paramref name="port"/>.</summary>
    private static void AssertOutbound(SipMessage ok, FlowPhone phone, int port)
    {
        Assert.True((ok.GetHeader(HeaderId.Require) ?? "").Split(',').Select(t => t.Trim()).Contains("outbound"), $"the 200 to an outbound REGISTER has no Require: outbound:\n{ok}");
        var binding = Assert.Single(ok.Addresses(HeaderId.Contact));
        Assert.Equal(phone.ContactUri(port), binding.Uri.ToString());
        Assert.Equal(($"<{phone.Instance}>", "1"), (binding.Parameters["+sip.instance"], binding.Parameters["reg-id"])); // as sent (the parser unquotes)
    }

    /// <summary>
    /// SIGKILLs edge 1 (the phone's connection <paramref name="first"/> must close), opens the phone's new connection
    /// to edge 2, and waits for the balancer to take edge 1 out so the caller's requests reach edge 2 at once.
    /// </summary>
    private async Task<StreamPeer> EdgeDiesAndPhoneReconnectsAsync(StreamPeer first, bool tls)
    {
        Cluster.Kill("edge-1");
        await first.WaitForCloseAsync(TimeSpan.FromSeconds(5));
        var second = await StreamPeer.ConnectAsync(EdgePort(2, tls), tls);
        await Cluster.WaitForBalancerAsync("edge-1", active: false, TimeSpan.FromSeconds(10));
        return second;
    }

    /// <summary>Edge <paramref name="number"/>'s own TCP port, or its TLS port (scripts/cluster: the next one).</summary>
    private int EdgePort(int number, bool tls) => Cluster.BalancedEdgePort(number) + (tls ? 1 : 0);

    /// <summary>Runs a test on both edges up, and prints the cluster's logs when it fails.</summary>
    private async Task RunAsync(Func<Task> test)
    {
        await fixture.BothEdgesUpAsync();
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine(Cluster.Logs());
            throw;
        }
    }
}
