using System.Globalization;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A rotation of the cluster secret under an answered call (one silo, one edge; scripts/cluster reads the secret and
/// the previous ones at each start): the call is set up under secret A, then the silo and the edge restart with
/// Secret = B and PreviousSecrets = [A], and the callee's BYE, whose Call-ID the silo made under A, still reaches the
/// call, which ends both legs and writes its CDR.
/// </summary>
public sealed class SecretRotationClusterTests : IAsyncLifetime, IDisposable
{
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40008 RTP/AVP 0\r\n";
    private readonly UdpPhone _callee = new(nodePort: 0); // its node port is known once the cluster is up
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{_callee.LocalPort}", silos: 1, edges: 1);
        _callee.NodePort = _cluster.SipPort;
    }

    [Fact]
    public async Task A_call_set_up_under_the_old_secret_is_hung_up_by_its_callee_after_the_rotation_and_writes_its_cdr()
    {
        using var caller = new UdpPhone(_cluster.SipPort);
        var callId = $"rotation-{Guid.NewGuid():N}@127.0.0.1";
        var (invite, ok) = await AnswerAsync(caller, callId);
        Assert.StartsWith("b2", invite.CallId, StringComparison.Ordinal); // the callee leg's Call-ID, made under the old secret

        var oldSecret = (await File.ReadAllTextAsync(SecretFile)).Trim();
        var newSecret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await File.WriteAllTextAsync(Path.Combine(_cluster.Directory, "previous-secrets"), oldSecret + "\n");
        await File.WriteAllTextAsync(SecretFile, newSecret);
        await _cluster.ProcessAsync("stop", "edge-1");
        await _cluster.ProcessAsync("stop", "silo-1"); // the call's state stays in PostgreSQL; its BYE reactivates it
        await _cluster.ProcessAsync("start", "silo-1");
        await _cluster.ProcessAsync("start", "edge-1");
        foreach (var process in new[] { "silo-1", "edge-1" })
        {
            var environment = Environment(process);
            Assert.Contains($"CallControl__Cluster__Secret={newSecret}", environment);
            Assert.Contains($"CallControl__Cluster__PreviousSecrets__0={oldSecret}", environment);
        }

        await _callee.SendAsync(CalleeBye(invite));
        var bye = await caller.ReceiveMessageAsync();
        Assert.Equal((SipMethod.Bye, callId, ok.To.Tag), (bye.Method, bye.CallId, bye.From.Tag));
        await caller.SendAsync(SipResponses.Simple(bye, 200));
        var byeOk = await _callee.ReceiveMessageAsync();
        Assert.Equal((200, SipMethod.Bye, invite.CallId), (byeOk.StatusCode, byeOk.CSeq.Method, byeOk.CallId));

        var cdr = await CdrAsync(callId);
        Assert.Equal((CallDisposition.Answered, HangupParty.Callee), (cdr.Disposition, cdr.HungUpBy));
    }

    private string SecretFile => Path.Combine(_cluster.Directory, "secret");

    /// <summary>INVITE, the callee's 200, the caller's ACK; returns the INVITE the callee got and the 200 the caller got.</summary>
    private async Task<(SipMessage Invite, SipMessage Ok)> AnswerAsync(UdpPhone caller, string callId)
    {
        await caller.SendAsync(PhoneRequests.Build(SipMethod.Invite, $"sip:1000@127.0.0.1:{_cluster.SipPort}", "UDP", caller.LocalPort, "caller", callId, 1, null, $"sip:caller@127.0.0.1:{caller.LocalPort}")
            .Body(Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        var invite = await _callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Invite, invite.Method);
        await _callee.SendAsync(SipResponses.Create(invite, 200, toTag: "callee").Add(HeaderId.Contact, $"<sip:callee@127.0.0.1:{_callee.LocalPort}>")
            .Body(Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        SipMessage ok;
        do
        {
            ok = await caller.ReceiveMessageAsync();
        }
        while (ok.StatusCode is > 0 and < 200);

        Assert.Equal((200, callId), (ok.StatusCode, ok.CallId));
        await caller.SendAsync(PhoneRequests.Build(SipMethod.Ack, Assert.Single(ok.Addresses(HeaderId.Contact)).Uri.ToString(), "UDP", caller.LocalPort, "caller", callId, 1, ok.To.Tag, $"sip:caller@127.0.0.1:{caller.LocalPort}").ToArray());
        Assert.Equal(SipMethod.Ack, (await _callee.ReceiveMessageAsync()).Method);
        return (invite, ok);
    }

    /// <summary>The callee's BYE in the dialog its INVITE made: to the Contact the edge gave it, with its Call-ID.</summary>
    private byte[] CalleeBye(SipMessage invite)
        => SipMessageBuilder.Request(SipMethod.Bye, Assert.Single(invite.Addresses(HeaderId.Contact)).Uri.ToString())
            .Add(HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:{_callee.LocalPort};branch=z9hG4bK-callee-bye-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<{invite.To.Uri}>;tag=callee")
            .Add(HeaderId.To, $"<{invite.From.Uri}>;tag={invite.From.Tag}")
            .Add(HeaderId.CallId, invite.CallId)
            .Add(HeaderId.CSeq, "1 BYE")
            .ToArray();

    /// <summary>The call's CDR in table cdr: written before the call's last message, read within a bound.</summary>
    private async Task<CallDetailRecord> CdrAsync(string callId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if ((await _cluster.CdrsForAsync(callId)).SingleOrDefault() is { } cdr)
            {
                return cdr;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no CDR for {callId}\n{_cluster.Logs()}");
            await Task.Delay(100);
        }
    }

    /// <summary>The environment a process of the cluster runs with (its PID as scripts/cluster recorded it).</summary>
    private string[] Environment(string process)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(_cluster.Directory, "pids", process + ".pid")).Trim(), CultureInfo.InvariantCulture);
        return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public void Dispose() => _callee.Dispose();
}
