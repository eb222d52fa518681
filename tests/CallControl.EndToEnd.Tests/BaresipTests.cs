using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// baresip 1.0 (Debian's baresip-core, libre 1.1), a real user agent with its own digest, against the embedded node
/// (issue 20, item 8): it registers and answers a call to its subscriber, and it places a call, answering the node's 407.
/// libre before 3.12 knows only MD5 and gives up on a 401 or 407 that also offers SHA-256, so these nodes offer MD5 alone
/// (<c>CallControl:Sip:Auth:Algorithms</c>, docs/security.md); the last test holds that limitation.
/// </summary>
public sealed class BaresipTests : IDisposable
{
    private const string Password = "baresip-secret";

    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-baresip-calls-").FullName;

    [Fact]
    public async Task Baresip_registers_with_its_digest_and_answers_a_call_to_its_subscriber()
    {
        // Nothing listens at the default target: only the registered baresip can answer a call to alice.
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", Md5Only(Alice()));
        await using var baresip = await BaresipPhone.StartAsync("alice", Password, node.SipPort, register: true);

        var registration = await baresip.RegistrationAsync();
        Assert.True(registration.Contains("200 OK", StringComparison.Ordinal), $"{baresip.Output}\nCallControl:\n{node.Output}");
        Assert.Contains("Authorization: Digest username=\"alice\", realm=\"127.0.0.1\"", baresip.Output, StringComparison.Ordinal);

        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", node.SipPort, calls: 1, rate: 1, "baresip-answers-", _work, "-s", "alice");

        Assert.True(exit == 0, $"{output}\nbaresip:\n{baresip.Output}\nCallControl:\n{node.Output}");
        await baresip.CallEstablishedAsync();
        await baresip.CallClosedAsync(); // the caller's BYE, relayed
        var cdr = Assert.Single(await node.WaitForCdrsAsync("baresip-answers-"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.StartsWith("sip:alice-", cdr.CalleeRouted, StringComparison.Ordinal); // the Contact baresip registered
    }

    [Fact]
    public async Task Baresip_places_a_call_answering_the_nodes_407_with_its_credentials_and_hangs_up()
    {
        var calleePort = FreePorts.Next();
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", calleePort, 1, _work);
        // The embedded node trusts loopback (docs/security.md); trusting nothing, it challenges baresip as any phone.
        var settings = Md5Only(Alice());
        settings["CallControl__Security__TrustedNetworks__0"] = "";
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{calleePort}", settings);
        await using var baresip = await BaresipPhone.StartAsync("alice", Password, node.SipPort, register: false, $"/dial sip:2000@127.0.0.1:{node.SipPort}");

        await baresip.CallEstablishedAsync();
        await baresip.HangUpAsync();

        Assert.True(await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"{callee.Output}\nbaresip:\n{baresip.Output}\nCallControl:\n{node.Output}");
        var cdr = Assert.Single(await node.WaitForCdrsAsync("")); // the node's only call (baresip makes its own Call-IDs)
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.Contains("alice@127.0.0.1", cdr.Caller, StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 407 Proxy Authentication Required", baresip.Output, StringComparison.Ordinal);
        Assert.Contains("Proxy-Authorization: Digest username=\"alice\", realm=\"127.0.0.1\"", baresip.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baresip_receives_a_MESSAGE_sent_to_its_subscriber_and_its_200_goes_back_to_the_sender()
    {
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", Md5Only(Alice()));
        await using var baresip = await BaresipPhone.StartAsync("alice", Password, node.SipPort, register: true);
        Assert.True((await baresip.RegistrationAsync()).Contains("200 OK", StringComparison.Ordinal), baresip.Output);

        var (exit, output) = await Sipp.RunCallerAsync("message-ok-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "baresip-message-", _work, "-s", "alice");

        Assert.True(exit == 0, $"{output}\nbaresip:\n{baresip.Output}\nCallControl:\n{node.Output}");
        Assert.Contains("Hello, registered phone", baresip.Output, StringComparison.Ordinal); // the body, as its SIP trace shows it
        Assert.Contains("MESSAGE sip:alice-", baresip.Output, StringComparison.Ordinal); // to the Contact it registered
    }

    [Fact]
    public async Task Baresip_1_0_cannot_register_when_the_401_offers_sha_256_beside_md5()
    {
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", Alice());
        await using var baresip = await BaresipPhone.StartAsync("alice", Password, node.SipPort, register: true);

        var registration = await baresip.RegistrationAsync();

        // libre before 3.12 (baresip/re#1103) stops at the first challenge that is not MD5, though an MD5 one comes
        // first, with ENOSYS, and sends no second REGISTER.
        Assert.Contains("algorithm=SHA-256", baresip.Output, StringComparison.Ordinal);
        Assert.True(registration.Contains("Register: Function not implemented", StringComparison.Ordinal), baresip.Output);
        Assert.DoesNotContain("Authorization: Digest", baresip.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Baresip_answers_then_transfers_its_caller_blind_and_hears_the_transfer_succeed()
    {
        // baresip (alice) answers a sipp caller, then /transfer-s it to 9000, which the dial plan routes to a sipp target.
        var targetPort = FreePorts.Next();
        var settings = Md5Only(Alice());
        settings["CallControl__Routing__Routes__0__Name"] = "transfer-target";
        settings["CallControl__Routing__Routes__0__Prefix"] = "9";
        settings["CallControl__Routing__Routes__0__Targets__0"] = $"sip:127.0.0.1:{targetPort}";
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", settings);
        await using var target = await Sipp.StartCalleeAsync("transfer-target-uas.xml", "udp", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, targetPort), 1, _work, "-d", "300");
        await using var baresip = await BaresipPhone.StartAsync("alice", Password, node.SipPort, register: true);
        Assert.Contains("200 OK", await baresip.RegistrationAsync(), StringComparison.Ordinal);

        var caller = Sipp.RunCallerAsync("transfer-transferee-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "baresip-transfers-", _work, "-s", "alice");
        await baresip.CallEstablishedAsync();
        await baresip.TransferAsync("sip:9000@127.0.0.1");

        // baresip hangs up itself on the NOTIFY's 200, and the node's BYE crosses its own; baresip prints its "call
        // terminated" line only when the node's comes first, so the transferee's end (its BYE to the target) is the mark.

        var (exit, output) = await caller;
        Assert.True(exit == 0, $"{output}\nbaresip:\n{baresip.Output}\nCallControl:\n{node.Output}");
        Assert.True(await target.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"{target.Output}\nbaresip:\n{baresip.Output}");
        Assert.Contains("REFER sip:", baresip.Output, StringComparison.Ordinal);
        Assert.Contains("SIP/2.0 202 Accepted", baresip.Output, StringComparison.Ordinal);
        Assert.Contains("Subscription-State: terminated;reason=noresource", baresip.Output, StringComparison.Ordinal);
        var cdr = Assert.Single(await node.WaitForCdrsAsync("baresip-transfers-"));
        var transfer = Assert.Single(cdr.Transfers!);
        Assert.Equal("callee", transfer.By);
        Assert.StartsWith("sip:alice-", transfer.From, StringComparison.Ordinal); // the Contact baresip registered
        Assert.Equal($"sip:9000@127.0.0.1:{targetPort}", cdr.CalleeRouted);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // alice's realm is the host of baresip's address of record: the registrar's realm, and the 407's (From host).
    private static Dictionary<string, string> Alice() => new()
    {
        ["CallControl__Subscribers__0__Username"] = "alice",
        ["CallControl__Subscribers__0__Realm"] = "127.0.0.1",
        ["CallControl__Subscribers__0__Password"] = Password,
    };

    private static Dictionary<string, string> Md5Only(Dictionary<string, string> settings)
    {
        settings["CallControl__Sip__Auth__Algorithms__0"] = "MD5";
        return settings;
    }
}
