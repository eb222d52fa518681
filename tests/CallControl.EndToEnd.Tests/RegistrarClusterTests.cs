using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The registrar on the real cluster: a phone (the project's own stack over TCP) registers with digest
/// authentication against a subscriber added with the CLI, and a sipp caller's INVITE reaches it over the
/// very connection it registered on.
/// </summary>
public sealed class RegistrarClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-registrar-").FullName;

    [Fact]
    public async Task A_registered_tcp_phone_is_challenged_accepted_and_called_over_its_connection()
    {
        var (exit, output) = await fixture.Cluster.CliAsync("subscriber", "add", "--username", "alice", "--realm", "127.0.0.1", "--password", "wonderland");
        Assert.True(exit == 0, output);
        await using var phone = await StreamPeer.ConnectAsync(fixture.Cluster.SipPort, tls: false);
        var contact = $"<sip:alice@127.0.0.1:{phone.LocalPort};transport=tcp>";

        await phone.SendAsync(Register(phone, 1, contact, authorization: null));
        var challenge = await phone.ReceiveMessageAsync();
        Assert.Equal(401, challenge.StatusCode);
        Assert.True(DigestClient.TryChoose(challenge.GetChallenges(HeaderId.WwwAuthenticate), out var chosen));

        await phone.SendAsync(Register(phone, 2, contact, DigestClient.Answer(chosen, "alice", "not-it", "REGISTER", "sip:127.0.0.1").ToHeaderValue()));
        Assert.Equal(403, (await phone.ReceiveMessageAsync()).StatusCode);

        await phone.SendAsync(Register(phone, 3, contact, DigestClient.Answer(chosen, "alice", "wonderland", "REGISTER", "sip:127.0.0.1").ToHeaderValue()));
        var ok = await phone.ReceiveMessageAsync();
        Assert.Equal(200, ok.StatusCode);
        Assert.Single(ok.Addresses(HeaderId.Contact));

        // A call to alice: sipp places it over UDP; the phone answers on its TCP connection.
        var caller = Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls: 1, rate: 1, "registered-", _work, "-s", "alice");
        var invite = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.StartsWith("sip:alice@127.0.0.1:", invite.RequestUri, StringComparison.Ordinal);
        await phone.SendAsync(SipResponses.Create(invite, 200, toTag: "alice-phone").Add(HeaderId.Contact, contact)
            .Body("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n"u8.ToArray(), "application/sdp").ToArray());
        Assert.Equal(SipMethod.Ack, (await phone.ReceiveMessageAsync()).Method);
        var bye = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await phone.SendAsync(SipResponses.Simple(bye, 200));

        var (callerExit, callerOutput) = await caller;
        Assert.True(callerExit == 0, callerOutput);
        Assert.Equal(1L, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'registered-%' AND route = 'registered' AND disposition = 'answered'"));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static byte[] Register(StreamPeer phone, uint cseq, string contact, string? authorization)
    {
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:127.0.0.1")
            .Add(HeaderId.Via, $"SIP/2.0/TCP 127.0.0.1:{phone.LocalPort};branch=z9hG4bK-register-{cseq}-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, "<sip:alice@127.0.0.1>;tag=alice-reg")
            .Add(HeaderId.To, "<sip:alice@127.0.0.1>")
            .Add(HeaderId.CallId, $"alice-registration-{phone.LocalPort}")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, contact)
            .Add(HeaderId.Expires, 600);
        if (authorization is not null)
        {
            builder.Add(HeaderId.Authorization, authorization);
        }

        return builder.ToArray();
    }
}
