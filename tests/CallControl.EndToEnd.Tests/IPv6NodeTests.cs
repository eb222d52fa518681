using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// IPv6 end to end (issue 20, item 2): the embedded node listening on ::1 (CallControl:Edge:ListenAddress), real sipp
/// callers and callees on ::1, calls to an IPv6 default target and to a configured dial-plan route's IPv6 target over
/// UDP and TCP, answered, hung up and billed; a phone registered over ::1 and called there. Loopback only: ::1 is
/// trusted by the embedded default as 127.0.0.0/8 is, so no digest challenge stands in the way of sipp's calls.
/// </summary>
public sealed class IPv6NodeTests : IDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP6 ::1\r\ns=-\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-ipv6-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_call_over_IPv6_reaches_an_IPv6_target_is_answered_hung_up_and_billed(string transport)
    {
        // UDP goes to the default target, TCP to a dial-plan route's target: both are written "sip:[::1]:PORT".
        var calleePort = FreePorts.Next();
        var target = $"sip:[::1]:{calleePort}" + (transport == "tcp" ? ";transport=tcp" : "");
        await using var node = await NodeProcess.StartAsync(transport == "udp" ? target : $"sip:[::1]:{FreePorts.Next()}", new Dictionary<string, string>
        {
            ["CallControl__Edge__ListenAddress"] = "::1",
            ["CallControl__Routing__Routes__0__Name"] = "v6-route",
            ["CallControl__Routing__Routes__0__Prefix"] = "66",
            ["CallControl__Routing__Routes__0__Targets__0"] = target,
        });
        await using var callee = await Sipp.StartCalleeAsync("uas", transport, new IPEndPoint(IPAddress.IPv6Loopback, calleePort), calls: 2, _work);

        var prefix = $"ipv6-{transport}-";
        var (exit, output) = await Sipp.RunCallerAsync(
            "uac", transport, new IPEndPoint(IPAddress.IPv6Loopback, node.SipPort), calls: 2, rate: 2, prefix, _work, "-s", transport == "tcp" ? "6601" : "1000");

        Assert.True(exit == 0, $"sipp caller exited {exit}:\n{output}\n--- callee:\n{callee.Output}\n--- node:\n{node.Output}");
        var cdrs = await node.WaitForCdrsAsync(prefix);
        for (var wait = 0; wait < 50 && cdrs.Count < 2; wait++)
        {
            await Task.Delay(100);
            cdrs = node.CdrsFor(prefix);
        }

        Assert.Equal(2, cdrs.Count);
        Assert.All(cdrs, cdr =>
        {
            Assert.Equal(CallDisposition.Answered, cdr.Disposition);
            Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
            Assert.StartsWith("sip:sipp@[::1]:", cdr.Caller, StringComparison.Ordinal);
            Assert.Contains($"@[::1]:{calleePort}", cdr.CalleeRouted, StringComparison.Ordinal);
            Assert.Equal(transport == "tcp" ? "v6-route" : "default", cdr.Route);
        });
    }

    [Fact]
    public async Task A_phone_registers_over_IPv6_and_a_call_to_it_rings_it_there()
    {
        using var unrouted = new UdpPhone(0, localAddress: "::1");
        await using var node = await NodeProcess.StartAsync($"sip:[::1]:{unrouted.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Edge__ListenAddress"] = "::1",
            ["CallControl__Subscribers__0__Username"] = "dave",
            ["CallControl__Subscribers__0__Realm"] = "[::1]", // the realm of an address of record on [::1] is its host
            ["CallControl__Subscribers__0__Password"] = "over-v6",
        });
        using var phone = new UdpPhone(node.SipPort, localAddress: "::1");

        var challenge = await PhoneRegistration.RegisterAsync(phone, "dave", password: null);
        Assert.Equal(401, challenge.StatusCode);
        var registered = await PhoneRegistration.RegisterAsync(phone, "dave", "over-v6", challenge);
        Assert.Equal(200, registered.StatusCode);
        var binding = Assert.Single(registered.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(("[::1]", (int?)phone.LocalPort), (binding.Host, binding.Port));

        var caller = Sipp.RunCallerAsync("uac", "udp", new IPEndPoint(IPAddress.IPv6Loopback, node.SipPort), calls: 1, rate: 1, "ipv6-registered-", _work, "-s", "dave");
        var invite = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.StartsWith($"sip:dave@[::1]:{phone.LocalPort}", invite.RequestUri, StringComparison.Ordinal);
        Assert.Equal(("[::1]", (int?)node.SipPort), (invite.TopVia.Host, invite.TopVia.Port)); // the edge names itself bracketed
        Assert.Equal("[::1]", Assert.Single(invite.Addresses(HeaderId.Contact)).Uri.Host);
        await PhoneRegistration.AnswerUntilByeAsync(phone, invite, "dave", Sdp);

        var (exit, output) = await caller;
        Assert.True(exit == 0, output);
        var cdr = Assert.Single(await node.WaitForCdrsAsync("ipv6-registered-"));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
    }
}
