using CallControl.EndToEnd.Tests.Infrastructure;
using static CallControl.EndToEnd.Tests.Infrastructure.PhoneRegistration;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The registrar on the real cluster: phones (the project's own stack, over TCP and UDP) register with digest
/// authentication against subscribers added with the CLI, and a sipp caller's call rings every binding at once:
/// a TCP binding over the very connection it registered on, a UDP one at its Contact.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RegistrarClusterTests(ClusterFixture fixture) : IDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-registrar-").FullName;

    [Fact]
    public async Task A_registered_tcp_phone_is_challenged_refused_with_a_wrong_password_accepted_and_called_over_its_connection()
    {
        await AddSubscriberAsync("alice");
        await using var phone = await StreamPeer.ConnectAsync(fixture.Cluster.SipPort, tls: false);

        var challenge = await RegisterAsync(phone, "alice", password: null);
        Assert.Equal(401, challenge.StatusCode);
        Assert.Equal(403, (await RegisterAsync(phone, "alice", "not-it", challenge)).StatusCode);
        var ok = await RegisterAsync(phone, "alice", "wonderland", challenge);
        Assert.Equal(200, ok.StatusCode);
        Assert.Single(ok.Addresses(HeaderId.Contact));

        // A call to alice: sipp places it over UDP; the phone answers on its TCP connection.
        var caller = Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls: 1, rate: 1, "registered-", _work, "-s", "alice");
        var invite = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.StartsWith("sip:alice@127.0.0.1:", invite.RequestUri, StringComparison.Ordinal);
        await AnswerAndHangUpAsync(phone, invite, "alice-phone");

        var (callerExit, callerOutput) = await caller;
        Assert.True(callerExit == 0, callerOutput);
        Assert.Equal(1L, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'registered-%' AND route = 'registered' AND disposition = 'answered'"));
    }

    [Fact]
    public async Task A_user_registered_over_udp_and_tcp_rings_on_both_the_first_answer_wins_and_the_other_is_cancelled()
    {
        await AddSubscriberAsync("bob");
        using var desk = new UdpPhone(fixture.Cluster.SipPort);
        await using var mobile = await StreamPeer.ConnectAsync(fixture.Cluster.SipPort, tls: false);
        foreach (var phone in new ISipPhone[] { desk, mobile })
        {
            var challenge = await RegisterAsync(phone, "bob", password: null);
            Assert.Equal(401, challenge.StatusCode);
            Assert.Equal(200, (await RegisterAsync(phone, "bob", "wonderland", challenge)).StatusCode);
        }

        var caller = Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, calls: 1, rate: 1, "ringboth-", _work, "-s", "bob");

        // Both ring at once; the desk phone (UDP) rings, the mobile (TCP) answers.
        var deskInvite = await desk.ReceiveMessageAsync();
        var mobileInvite = await mobile.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, deskInvite.Method);
        Assert.Equal(SipMethod.Invite, mobileInvite.Method);
        Assert.Equal($"sip:bob@127.0.0.1:{desk.LocalPort}", deskInvite.RequestUri);
        Assert.NotEqual(deskInvite.CallId, mobileInvite.CallId);
        await desk.SendAsync(SipResponses.Create(deskInvite, 180, toTag: "bob-desk").Add(HeaderId.Contact, Contact(desk, "bob")).ToArray());
        await AnswerAndHangUpAsync(mobile, mobileInvite, "bob-mobile", beforeBye: async () =>
        {
            // The loser is cancelled: 200 to the CANCEL, 487 to its INVITE, and the ACK for the 487.
            var cancel = await desk.ReceiveMessageAsync();
            Assert.Equal(SipMethod.Cancel, cancel.Method);
            Assert.Equal(deskInvite.CallId, cancel.CallId);
            await desk.SendAsync(SipResponses.Simple(cancel, 200));
            await desk.SendAsync(SipResponses.Create(deskInvite, 487, toTag: "bob-desk").ToArray());
            var ack = await desk.ReceiveMessageAsync();
            Assert.Equal(SipMethod.Ack, ack.Method);
            Assert.Equal("bob-desk", ack.To.Tag);
        });

        var (callerExit, callerOutput) = await caller;
        Assert.True(callerExit == 0, callerOutput);
        Assert.Equal(1L, await fixture.Cluster.ScalarAsync<long>(
            $"SELECT count(*) FROM cdr WHERE call_id LIKE 'ringboth-%' AND route = 'registered' AND disposition = 'answered' AND callee_routed = 'sip:bob@127.0.0.1:{mobile.LocalPort};transport=tcp'"));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task AddSubscriberAsync(string user) => fixture.Cluster.AddSubscriberAsync(user, "wonderland");

    /// <summary>200 with an SDP answer, then the ACK and the caller's BYE (sipp hangs up); <paramref name="beforeBye"/> runs in between.</summary>
    private static async Task AnswerAndHangUpAsync(ISipPhone phone, SipMessage invite, string tag, Func<Task>? beforeBye = null)
    {
        await phone.SendAsync(SipResponses.Create(invite, 200, toTag: tag).Add(HeaderId.Contact, Contact(phone, invite.To.Uri.User!))
            .Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        Assert.Equal(SipMethod.Ack, (await phone.ReceiveMessageAsync()).Method);
        if (beforeBye is not null)
        {
            await beforeBye();
        }

        var bye = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await phone.SendAsync(SipResponses.Simple(bye, 200));
    }
}
