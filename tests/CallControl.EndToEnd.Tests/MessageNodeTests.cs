using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Out-of-dialog MESSAGE (RFC 3428) and OPTIONS on the embedded default, with real sipp on every side
/// (docs/interop.md, "MESSAGE and OPTIONS out of dialog"): to a registered phone, through a route to a trunk, and to
/// nobody. The answers the senders get are the ones the recipients sent (their reason phrase and body), relayed.
/// </summary>
public sealed class MessageNodeTests : IDisposable
{
    private const string Password = "a-message-for-you";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-message-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task A_MESSAGE_and_an_OPTIONS_to_a_registered_sipp_phone_are_relayed_to_it_and_its_answers_come_back()
    {
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{FreePorts.Next()}", new Dictionary<string, string>
        {
            ["CallControl__Subscribers__0__Username"] = "erin",
            ["CallControl__Subscribers__0__Realm"] = "127.0.0.1",
            ["CallControl__Subscribers__0__Password"] = Password,
        });
        var phonePort = FreePorts.Next();
        await using var phone = ChildProcess.Start(
            "sipp",
            [
                "-sf", RepoPaths.Scenario("message-phone-uac.xml"), "-oocsf", RepoPaths.Scenario("message-phone-ooc.xml"), $"127.0.0.1:{node.SipPort}",
                "-i", "127.0.0.1", "-p", phonePort.ToString(CultureInfo.InvariantCulture), "-t", "u1",
                "-s", "erin", "-au", "erin", "-ap", Password, "-m", "1", "-cp", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                "-nostdin", "-timeout", "60s", "-timeout_error", "-trace_err",
            ],
            _work);
        await phone.WaitForLineAsync(l => l == "message-phone registered", TimeSpan.FromSeconds(30));

        // The sender's 200 is checked by its scenario: "Read by the phone" and the body "seen", as the phone sent them.
        var (sent, sentOutput) = await Sipp.RunCallerAsync("message-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "message-", _work, "-s", "erin");
        Assert.True(sent == 0, sentOutput);
        var got = await phone.WaitForLineAsync(l => l.StartsWith("message-phone got the message: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.StartsWith("message-phone got the message: sip:erin@127.0.0.1:", got, StringComparison.Ordinal); // to its registered Contact

        var (probed, probeOutput) = await Sipp.RunCallerAsync("options-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "options-", _work, "-s", "erin");
        Assert.True(probed == 0, probeOutput);
        Assert.Equal(0, await phone.WaitForExitAsync(TimeSpan.FromSeconds(30))); // it answered both, and its checks held
        Assert.Contains("message-phone answered an OPTIONS", phone.Output, StringComparison.Ordinal);

        Assert.Empty(node.CdrsFor("message-")); // a message is not a call
    }

    [Fact]
    public async Task A_MESSAGE_to_a_user_nobody_registered_goes_through_the_route_to_a_sipp_trunk_and_a_barred_one_gets_404()
    {
        var trunkPort = FreePorts.Next();
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{trunkPort}", new Dictionary<string, string>
        {
            ["CallControl__Routing__Routes__0__Name"] = "barred",
            ["CallControl__Routing__Routes__0__Prefix"] = "nobody",
            ["CallControl__Routing__Routes__0__Flow"] = "refuse",
        });
        await using var trunk = await Sipp.StartCalleeAsync("message-phone-ooc.xml", "udp", trunkPort, calls: 1, _work);

        var (sent, output) = await Sipp.RunCallerAsync("message-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "message-trunk-", _work, "-s", "4930123");
        Assert.True(sent == 0, output);
        Assert.Equal(0, await trunk.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var got = trunk.Output.Split('\n').Single(l => l.StartsWith("message-phone got the message: ", StringComparison.Ordinal));
        Assert.StartsWith("message-phone got the message: sip:4930123@127.0.0.1:", got, StringComparison.Ordinal); // the dialled number on the trunk

        var (refused, refusedOutput) = await Sipp.RunCallerAsync("message-refused-uac.xml", "udp", node.SipPort, calls: 1, rate: 1, "message-nobody-", _work, "-s", "nobody");
        Assert.True(refused == 0, refusedOutput);
    }
}
