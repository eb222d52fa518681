using System.Diagnostics;
using System.Net;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A local cluster with one silo and two edges (behind the balancer, each also on a port of its own) whose only trusted
/// network is 127.0.0.1/32, so every other loopback address is an untrusted source: callers, scanners, guessers.
/// </summary>
public sealed class SecurityClusterFixture : IAsyncLifetime
{
    /// <summary>The realm (the From host) of the untrusted caller's subscriber.</summary>
    public const string CallerAddress = "127.0.0.21";

    /// <summary>A network every edge drops unparsed.</summary>
    public const string DeniedAddress = "127.0.0.66";

    public const string Password = "open-sesame";

    public int CalleePort { get; } = FreePorts.Next();

    internal LocalCluster Cluster { get; private set; } = null!;

    /// <summary>Edge <paramref name="number"/>'s own SIP port.</summary>
    public int EdgePort(int number) => Cluster.BalancedEdgePort(number);

    /// <summary>Edge <paramref name="number"/>'s security log so far.</summary>
    public string SecurityLog(int number)
    {
        var path = Path.Combine(Cluster.Directory, "logs", $"security-edge-{number}.log");
        if (!File.Exists(path))
        {
            return "";
        }

        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers)
        {
            ["CallControl__Security__TrustedNetworks__0"] = "127.0.0.1/32",
            ["CallControl__Security__DeniedNetworks__0"] = DeniedAddress + "/32",
        };
        Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{CalleePort}", silos: 1, edges: 2, settings);
        foreach (var (user, realm) in new[] { ("alice", CallerAddress), ("bob", "127.0.0.1") })
        {
            var (exit, output) = await Cluster.CliAsync("subscriber", "add", "--username", user, "--realm", realm, "--password", Password);
            if (exit != 0)
            {
                throw new InvalidOperationException($"subscriber add failed: {output}");
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SecurityClusterCollection : ICollectionFixture<SecurityClusterFixture>
{
    public const string Name = "security-cluster";
}

/// <summary>
/// Issue 17 end to end: untrusted callers are challenged and call with the identity they proved, scanners and guessers
/// are banned, a ban made on one edge holds on the other within a second and can be lifted with the CLI, and denied
/// networks are dropped. Each test uses source addresses of its own (127.0.0.2x).
/// </summary>
[Collection(SecurityClusterCollection.Name)]
public sealed class SecurityClusterTests(SecurityClusterFixture fixture) : IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(400);
    private const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n";
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-security-").FullName;

    [Fact]
    public async Task An_untrusted_caller_is_challenged_and_with_a_subscribers_credentials_calls_as_that_subscriber_only()
    {
        using var callee = new UdpPhone(fixture.EdgePort(1), fixture.CalleePort);

        // Without credentials: 407 with a challenge in the caller's realm, offering MD5 and SHA-256.
        using (var anonymous = new UdpPhone(fixture.EdgePort(1), localAddress: SecurityClusterFixture.CallerAddress))
        {
            var invite = Invite(anonymous, "anonymous-call");
            await anonymous.SendAsync(invite.ToArray());
            var challenge = await NextFinalAsync(anonymous);
            Assert.Equal(407, challenge.StatusCode);
            var challenges = challenge.GetChallenges(HeaderId.ProxyAuthenticate);
            Assert.NotEmpty(challenges);
            Assert.All(challenges, c => Assert.Equal(SecurityClusterFixture.CallerAddress, c.Realm));
        }

        // sipp answers the 407 with its own digest; the callee's first INVITE is that call, and carries the subscriber's
        // identity, never the one the caller claimed (which proves the anonymous INVITE never reached it either).
        var caller = Sipp.RunCallerAsync("auth-uac.xml", "udp", fixture.EdgePort(1), calls: 1, rate: 1, "authcall-", _work,
            "-i", SecurityClusterFixture.CallerAddress, "-au", "alice", "-ap", SecurityClusterFixture.Password, "-s", "1001");
        var receiving = callee.ReceiveMessageAsync();
        if (await Task.WhenAny(receiving, caller) == caller)
        {
            var (early, earlyOutput) = await caller;
            Assert.Fail($"sipp ended ({early}) before the callee saw an INVITE:\n{earlyOutput}");
        }

        var routed = await receiving;
        Assert.Equal(SipMethod.Invite, routed.Method);
        Assert.Equal(["<sip:alice@127.0.0.21>"], routed.GetHeaders(HeaderId.PAssertedIdentity));
        Assert.DoesNotContain("spoofed.example", routed.ToString(), StringComparison.Ordinal);
        Assert.Null(routed.GetHeader("Proxy-Authorization"));
        await AnswerAndHangUpAsync(callee, routed);

        var (exit, output) = await caller;
        Assert.True(exit == 0, output);
        Assert.Equal(1L, await fixture.Cluster.ScalarAsync<long>("SELECT count(*) FROM cdr WHERE call_id LIKE 'authcall-%' AND disposition = 'answered'"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_counted()
    {
        using var guesser = new UdpPhone(fixture.EdgePort(2), localAddress: "127.0.0.27");
        await guesser.SendAsync(Invite(guesser, "wrong-call").ToArray());
        var challenge = await NextFinalAsync(guesser);
        Assert.Equal(407, challenge.StatusCode);
        await guesser.SendAsync(Ack(guesser, challenge).ToArray());

        Assert.True(DigestClient.TryChoose(challenge.GetChallenges(HeaderId.ProxyAuthenticate), out var chosen));
        var retry = Invite(guesser, "wrong-call", cseq: 2)
            .Add(HeaderId.ProxyAuthorization, DigestClient.Answer(chosen, "alice", "not-the-password", "INVITE", "sip:1001@127.0.0.1").ToHeaderValue());
        await guesser.SendAsync(retry.ToArray());
        Assert.Equal(403, (await NextFinalAsync(guesser)).StatusCode);
        Assert.Contains("security event=auth-failure src=127.0.0.27:", fixture.SecurityLog(2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_scanner_gets_nothing_and_its_ban_holds_on_the_other_edge_within_a_second_until_the_cli_lifts_it()
    {
        const string scanner = "127.0.0.22";
        using var probe = new UdpPhone(fixture.EdgePort(2), localAddress: scanner);
        Assert.True(await AnsweredAsync(probe, fixture.EdgePort(2), "probe"), "edge 2 answers an ordinary OPTIONS from the source first");

        var banned = Stopwatch.StartNew();
        Assert.False(await AnsweredAsync(probe, fixture.EdgePort(1), "friendly-scanner"), "a scanner gets no response");

        // Edge 2 drops the source within a second of edge 1's ban (probes every 150 ms, each unanswered one counted
        // from when it was sent).
        TimeSpan? refusedAfter = null;
        while (refusedAfter is null && banned.Elapsed < TimeSpan.FromSeconds(5))
        {
            var sentAt = banned.Elapsed;
            if (!await AnsweredAsync(probe, fixture.EdgePort(2), "probe", TimeSpan.FromMilliseconds(150)))
            {
                refusedAfter = sentAt;
            }
        }

        Assert.NotNull(refusedAfter);
        Assert.True(refusedAfter <= TimeSpan.FromSeconds(1), $"edge 2 still answered the banned source {refusedAfter} after the ban");
        Assert.False(await AnsweredAsync(probe, fixture.EdgePort(1), "probe"), "a banned source gets nothing, even an ordinary request");
        Assert.Contains($"security event=scanner src={scanner}:", fixture.SecurityLog(1), StringComparison.Ordinal);
        Assert.Contains($"security event=banned src={scanner}:", fixture.SecurityLog(1), StringComparison.Ordinal);

        var (listed, list) = await fixture.Cluster.CliAsync("ban", "list");
        Assert.True(listed == 0, list);
        Assert.Matches($@"(?m)^{Regex(scanner)}\t\S+Z\tscanner\tedge-1$", list);

        // The CLI lifts it; both edges answer again within a few seconds (the grain reads the table every 2 s).
        var (removed, output) = await fixture.Cluster.CliAsync("ban", "remove", "--source", scanner);
        Assert.True(removed == 0, output);
        Assert.True(await EventuallyAnsweredAsync(probe, fixture.EdgePort(1)), "edge 1 answers once the CLI lifted the ban");
        Assert.True(await EventuallyAnsweredAsync(probe, fixture.EdgePort(2)), "edge 2 answers once the CLI lifted the ban");
    }

    [Fact]
    public async Task A_ban_added_with_the_cli_holds_on_every_edge_and_after_an_edge_restart()
    {
        const string source = "127.0.0.28";
        using var probe = new UdpPhone(fixture.EdgePort(1), localAddress: source);
        Assert.True(await AnsweredAsync(probe, fixture.EdgePort(1), "probe"));
        var (added, output) = await fixture.Cluster.CliAsync("ban", "add", "--source", source, "--for", "10m");
        Assert.True(added == 0, output);
        Assert.True(await EventuallySilentAsync(probe, fixture.EdgePort(1)), "edge 1 drops a source the CLI banned");
        Assert.True(await EventuallySilentAsync(probe, fixture.EdgePort(2)), "edge 2 drops a source the CLI banned");

        // An edge that dies and starts again drops the source from its first moment.
        fixture.Cluster.Kill("edge-2");
        await fixture.Cluster.ProcessAsync("start", "edge-2");
        Assert.False(await AnsweredAsync(probe, fixture.EdgePort(2), "probe"), "a restarted edge still drops a banned source");
    }

    [Fact]
    public async Task Six_wrong_passwords_ban_the_source_even_with_the_right_one_while_another_source_registers()
    {
        const string guesser = "127.0.0.23";
        using var attacker = new UdpPhone(fixture.EdgePort(1), localAddress: guesser);
        SipMessage? challenge = null;
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            challenge = await RegisterAsync(attacker, password: null);
            Assert.Equal(401, challenge.StatusCode);
            Assert.Equal(403, (await RegisterAsync(attacker, "guess-" + attempt, challenge)).StatusCode);
        }

        // Banned now: no response at all, even to the right password.
        await attacker.SendAsync(RegisterRequest(attacker, SecurityClusterFixture.Password, challenge).ToArray());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attacker.ReceiveMessageAsync(Silence));
        Assert.Contains($"security event=banned src={guesser}:", fixture.SecurityLog(1), StringComparison.Ordinal);
        Assert.Contains("reason=auth-failure", fixture.SecurityLog(1), StringComparison.Ordinal);

        using var phone = new UdpPhone(fixture.EdgePort(1), localAddress: "127.0.0.24");
        var fresh = await RegisterAsync(phone, password: null);
        Assert.Equal(401, fresh.StatusCode);
        Assert.Equal(200, (await RegisterAsync(phone, SecurityClusterFixture.Password, fresh)).StatusCode);
    }

    [Fact]
    public async Task Fail2ban_bans_from_the_edges_security_log()
    {
        // A guesser's failed attempts, as the edge logs them (the edge bans it too, at the sixth).
        const string guesser = "127.0.0.29";
        using var attacker = new UdpPhone(fixture.EdgePort(1), localAddress: guesser);
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var challenge = await RegisterAsync(attacker, password: null);
            Assert.Equal(401, challenge.StatusCode);
            Assert.Equal(403, (await RegisterAsync(attacker, "guess-" + attempt, challenge)).StatusCode);
        }

        // A real fail2ban-server over edge 1's log, with the shipped filter (contrib/fail2ban), bans the same source.
        var log = Path.Combine(fixture.Cluster.Directory, "logs", "security-edge-1.log");
        await using var fail2ban = await Fail2Ban.StartAsync(log, maxRetry: 5, findTime: TimeSpan.FromMinutes(10));
        var banned = await fail2ban.WaitForBanAsync(IPAddress.Parse(guesser), TimeSpan.FromSeconds(30));
        Assert.Contains(guesser, banned, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_network_is_dropped_unparsed_and_logged()
    {
        using var denied = new UdpPhone(fixture.EdgePort(1), localAddress: SecurityClusterFixture.DeniedAddress);
        Assert.False(await AnsweredAsync(denied, fixture.EdgePort(1), "probe"));
        Assert.Contains($"security event=acl src={SecurityClusterFixture.DeniedAddress}:", fixture.SecurityLog(1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_options_is_throttled_then_banned()
    {
        const string flooder = "127.0.0.26";
        using var phone = new UdpPhone(fixture.EdgePort(2), localAddress: flooder);
        var deadline = Stopwatch.StartNew();
        while (!fixture.SecurityLog(2).Contains($"security event=banned src={flooder}:", StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(8))
        {
            for (var i = 0; i < 10; i++)
            {
                await phone.SendAsync(Options(phone, "probe").ToArray()); // 50 a second against a limit of 5 (burst 10)
            }

            await Task.Delay(200); // pacing the flood over several one-second windows, not waiting for an event
        }

        var log = fixture.SecurityLog(2);
        Assert.Contains($"security event=flood src={flooder}:", log, StringComparison.Ordinal);
        Assert.Contains($"security event=banned src={flooder}:", log, StringComparison.Ordinal);
        Assert.Contains("reason=flood", log, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static async Task<bool> AnsweredAsync(UdpPhone phone, int edgePort, string userAgent, TimeSpan? within = null)
    {
        phone.NodePort = edgePort;
        await phone.SendAsync(Options(phone, userAgent).ToArray());
        try
        {
            return (await phone.ReceiveMessageAsync(within ?? Silence)).StatusCode == 200;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> EventuallyAnsweredAsync(UdpPhone phone, int edgePort)
    {
        for (var attempt = 0; attempt < 25; attempt++)
        {
            if (await AnsweredAsync(phone, edgePort, "probe"))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> EventuallySilentAsync(UdpPhone phone, int edgePort)
    {
        for (var attempt = 0; attempt < 25; attempt++)
        {
            if (!await AnsweredAsync(phone, edgePort, "probe"))
            {
                return true;
            }

            await Task.Delay(200); // below the OPTIONS limit: a throttled probe must not pass for a ban
        }

        return false;
    }

    private static SipMessageBuilder Options(UdpPhone phone, string userAgent)
        => SipMessageBuilder.Request(SipMethod.Options, "sip:127.0.0.1")
            .Add(HeaderId.Via, $"SIP/2.0/UDP {phone.LocalAddress}:{phone.LocalPort};branch=z9hG4bK-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<sip:probe@{phone.LocalAddress}>;tag=probe")
            .Add(HeaderId.To, "<sip:127.0.0.1>")
            .Add(HeaderId.CallId, Guid.NewGuid().ToString("N"))
            .Add(HeaderId.CSeq, "1 OPTIONS")
            .Add(HeaderId.UserAgent, userAgent);

    private static SipMessageBuilder Invite(UdpPhone phone, string callId, int cseq = 1)
        => SipMessageBuilder.Request(SipMethod.Invite, "sip:1001@127.0.0.1")
            .Add(HeaderId.Via, $"SIP/2.0/UDP {phone.LocalAddress}:{phone.LocalPort};branch=z9hG4bK-{callId}-{cseq}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<sip:alice@{phone.LocalAddress}>;tag={callId}")
            .Add(HeaderId.To, "<sip:1001@127.0.0.1>")
            .Add(HeaderId.CallId, callId)
            .Add(HeaderId.CSeq, $"{cseq} INVITE")
            .Add(HeaderId.Contact, $"<sip:alice@{phone.LocalAddress}:{phone.LocalPort}>")
            .Add("P-Asserted-Identity", "<sip:ceo@spoofed.example>")
            .Body(Encoding.ASCII.GetBytes(Sdp), "application/sdp");

    private static SipMessageBuilder Ack(UdpPhone phone, SipMessage response)
        => SipMessageBuilder.Request(SipMethod.Ack, "sip:1001@127.0.0.1")
            .Add(HeaderId.Via, response.GetHeader(HeaderId.Via)!)
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, response.GetHeader(HeaderId.From)!)
            .Add(HeaderId.To, response.GetHeader(HeaderId.To)!)
            .Add(HeaderId.CallId, response.CallId)
            .Add(HeaderId.CSeq, $"{response.CSeq.Number} ACK");

    /// <summary>The next final response (a 100 Trying skipped).</summary>
    private static async Task<SipMessage> NextFinalAsync(UdpPhone phone)
    {
        while (true)
        {
            var message = await phone.ReceiveMessageAsync();
            if (message.StatusCode >= 200)
            {
                return message;
            }
        }
    }

    private static int _cseq;

    private static SipMessageBuilder RegisterRequest(UdpPhone phone, string? password, SipMessage? challenge)
    {
        var cseq = Interlocked.Increment(ref _cseq);
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:127.0.0.1")
            .Add(HeaderId.Via, $"SIP/2.0/UDP {phone.LocalAddress}:{phone.LocalPort};branch=z9hG4bK-register-{cseq}-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, "<sip:bob@127.0.0.1>;tag=bob-reg")
            .Add(HeaderId.To, "<sip:bob@127.0.0.1>")
            .Add(HeaderId.CallId, $"bob-registration-{phone.LocalAddress}")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, $"<sip:bob@{phone.LocalAddress}:{phone.LocalPort}>")
            .Add(HeaderId.Expires, 600);
        if (password is not null && challenge is not null)
        {
            Assert.True(DigestClient.TryChoose(challenge.GetChallenges(HeaderId.WwwAuthenticate), out var chosen));
            builder.Add(HeaderId.Authorization, DigestClient.Answer(chosen, "bob", password, "REGISTER", "sip:127.0.0.1").ToHeaderValue());
        }

        return builder;
    }

    private static async Task<SipMessage> RegisterAsync(UdpPhone phone, string? password, SipMessage? challenge = null)
    {
        await phone.SendAsync(RegisterRequest(phone, password, challenge).ToArray());
        return await phone.ReceiveMessageAsync();
    }

    /// <summary>200 with an SDP answer to the edge in the INVITE's Via, then the ACK and the caller's BYE, answered 200.</summary>
    private static async Task AnswerAndHangUpAsync(UdpPhone callee, SipMessage invite)
    {
        await ReplyAsync(callee, invite, SipResponses.Create(invite, 200, toTag: "callee").Add(HeaderId.Contact, $"<sip:1001@127.0.0.1:{callee.LocalPort}>")
            .Body(Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray());
        Assert.Equal(SipMethod.Ack, (await callee.ReceiveMessageAsync()).Method);
        var bye = await callee.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await ReplyAsync(callee, bye, SipResponses.Simple(bye, 200));
    }

    // A response goes where the request's top Via says (RFC 3261 §18.2.2): the edge that sent it.
    private static async Task ReplyAsync(UdpPhone phone, SipMessage request, byte[] response)
    {
        Assert.True(ViaHeader.TryParse(request.GetHeader(HeaderId.Via)!, out var via));
        phone.NodePort = via.Port ?? 5060;
        await phone.SendAsync(response);
    }
}
