using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The embedded default registers phones (issue 18, item 5): subscribers from configuration, bindings in the registrar
/// grain, and a call to the registered user rings its phone, with no PostgreSQL anywhere.
/// </summary>
public sealed class EmbeddedRegistrarTests
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";

    [Fact]
    public async Task A_configured_subscriber_registers_with_digest_and_a_call_to_it_rings_its_phone()
    {
        using var unrouted = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{unrouted.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Subscribers__0__Username"] = "carol",
            ["CallControl__Subscribers__0__Realm"] = "127.0.0.1",
            ["CallControl__Subscribers__0__Password"] = "in-config",
        });
        using var phone = new UdpPhone(node.SipPort);

        var challenge = await PhoneRegistration.RegisterAsync(phone, "carol", password: null);
        Assert.Equal(401, challenge.StatusCode);
        Assert.Equal(403, (await PhoneRegistration.RegisterAsync(phone, "carol", "not-it", challenge)).StatusCode);
        var registered = await PhoneRegistration.RegisterAsync(phone, "carol", "in-config", challenge);
        Assert.Equal(200, registered.StatusCode);
        Assert.Single(registered.Addresses(HeaderId.Contact));

        // A call to carol rings the registered phone, not the default target.
        var work = Directory.CreateTempSubdirectory("callcontrol-embedded-registrar-").FullName;
        try
        {
            var caller = Sipp.RunCallerAsync("uac", "udp", node.SipPort, calls: 1, rate: 1, "embedded-registered-", work, "-s", "carol");
            var invite = await phone.ReceiveMessageAsync();
            Assert.Equal(SipMethod.Invite, invite.Method);
            Assert.StartsWith("sip:carol@127.0.0.1:", invite.RequestUri, StringComparison.Ordinal);
            await PhoneRegistration.AnswerUntilByeAsync(phone, invite, "carol", Sdp);

            var (exit, output) = await caller;
            Assert.True(exit == 0, output);
            Assert.Single(node.CdrsFor("embedded-registered-"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
