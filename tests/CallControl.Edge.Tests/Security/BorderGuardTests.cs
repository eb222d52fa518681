using CallControl.Edge.Security;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using static CallControl.Edge.Tests.Security.GuardHarness;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// The border end to end without sockets, built from options as the edge builds it, on a fake clock: the ACLs, trust,
/// per-source and per-kind limits with floods and their bans, bans that refuse everything and reach the cluster,
/// scanners, the stateless 407 and its own limit, brute force, and connections per source.
/// </summary>
public sealed class BorderGuardTests
{
    private static readonly SipEndPoint Attacker = Udp("192.0.2.7");
    private static readonly SipEndPoint Bystander = Udp("192.0.2.8");
    private static readonly SipEndPoint Carrier = Udp("127.0.0.1");

    // Small limits, so a test floods in a few messages: three INVITEs at once, then one a second.
    private static SecurityOptions Limited(int floodWindowsToBan = 3, int maxTrackedSources = 100) => new()
    {
        TrustedNetworks = ["127.0.0.1/32"],
        RateLimits = { ["INVITE"] = new() { PerSecond = 1, Burst = 3 } },
        FloodWindow = TimeSpan.FromSeconds(1),
        FloodWindowsToBan = floodWindowsToBan,
        MaxTrackedSources = maxTrackedSources,
    };

    [Fact]
    public void A_denied_network_is_dropped_unparsed_and_logged_once_per_interval()
    {
        using var h = new GuardHarness(new SecurityOptions { DeniedNetworks = { "203.0.113.0/24" } });
        var denied = Udp("203.0.113.9");

        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("OPTIONS"), denied));
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("INVITE"), denied));
        Assert.Equal(ScreenVerdict.Disconnect, h.Guard.ScreenConnection(Tcp("203.0.113.9").Address));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("OPTIONS"), Bystander));

        Assert.Equal(["security event=acl src=203.0.113.9:5060 transport=udp"], h.Kit.Events());
        Assert.Equal(3, h.Kit.Dropped("acl"));
        h.Time.Advance(SecurityLog.RepeatInterval);
        h.Screen(h.Request("OPTIONS"), denied);
        Assert.Equal(2, h.Kit.Events().Length);
    }

    [Fact]
    public void Outside_the_allowed_networks_is_denied_and_inside_is_not()
    {
        using var h = new GuardHarness(new SecurityOptions { AllowedNetworks = { "198.51.100.0/24", "2001:db8::/32" } });

        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("OPTIONS"), Bystander));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("OPTIONS"), Udp("198.51.100.1")));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("OPTIONS"), Udp("2001:db8::1")));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("OPTIONS"), Udp("::ffff:198.51.100.1")));
        Assert.StartsWith("security event=acl src=192.0.2.8:5060", Assert.Single(h.Kit.Events()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_trusted_source_is_never_limited_challenged_taken_for_a_scanner_or_banned()
    {
        using var h = new GuardHarness(Limited());

        Assert.All(h.Invites(Carrier, 100), v => Assert.Equal(ScreenVerdict.Accept, v));
        Assert.False(h.Drops(h.Request("INVITE"), Carrier, out var challenge));
        Assert.Null(challenge);
        Assert.False(h.Drops(h.Request("OPTIONS", headers: "User-Agent: friendly-scanner"), Carrier, out _));
        for (var i = 0; i < 20; i++)
        {
            h.Guard.AuthFailed(Carrier, "alice", "REGISTER");
        }

        Assert.False(h.IsBanned(Carrier));
        Assert.Empty(h.Published());
        Assert.Equal(0, h.Kit.Dropped("flood"));
        Assert.Equal(20, h.Kit.Events().Count(e => e.StartsWith("security event=auth-failure src=127.0.0.1:5060", StringComparison.Ordinal)));
        Assert.Equal(0, h.Guard.TrackedSources);
    }

    [Fact]
    public void The_default_trust_applies_when_no_trusted_network_is_configured()
    {
        using var h = new GuardHarness(new SecurityOptions { RateLimits = { ["INVITE"] = new() { PerSecond = 1, Burst = 1 } } }, TrustedByDefault.Loopback);

        Assert.All(h.Invites(Udp("127.0.0.21"), 10), v => Assert.Equal(ScreenVerdict.Accept, v));
        Assert.Equal([ScreenVerdict.Accept, ScreenVerdict.Drop], h.Invites(Attacker, 2));
    }

    [Fact]
    public void An_untrusted_source_over_its_INVITE_burst_is_dropped_and_the_flood_logged_once()
    {
        using var h = new GuardHarness(Limited());

        Assert.Equal([ScreenVerdict.Accept, ScreenVerdict.Accept, ScreenVerdict.Accept, ScreenVerdict.Drop, ScreenVerdict.Drop, ScreenVerdict.Drop], h.Invites(Attacker, 6));

        Assert.Equal(["security event=flood src=192.0.2.7:5060 transport=udp kind=INVITE"], h.Kit.Events());
        Assert.Equal(3, h.Kit.Dropped("flood"));
        Assert.False(h.IsBanned(Attacker));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("REGISTER"), Attacker));  // its REGISTERs have a bucket of their own
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("BYE", toTag: "b1"), Attacker));
        Assert.Equal(ScreenVerdict.Accept, h.Screen("SIP/2.0 180 Ringing\r\n\r\n", Attacker));
        Assert.Equal(ScreenVerdict.Accept, h.Invites(Bystander, 1)[0]);             // and other sources theirs
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([ScreenVerdict.Accept, ScreenVerdict.Drop], h.Invites(Attacker, 2)); // one token a second
    }

    [Fact]
    public void A_source_over_its_limit_in_consecutive_windows_is_banned_and_refused_everything()
    {
        using var h = new GuardHarness(Limited());

        h.Invites(Attacker, 4);                      // window 1: over
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Invites(Attacker, 3);                      // window 2: over again
        Assert.False(h.IsBanned(Attacker));
        Assert.Empty(h.Published());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([ScreenVerdict.Accept, ScreenVerdict.Drop], h.Invites(Attacker, 2)); // window 3: banned by its drop

        Assert.True(h.IsBanned(Attacker));
        var ban = Assert.Single(h.Published());
        Assert.Equal(("192.0.2.7", h.Time.GetUtcNow() + TimeSpan.FromMinutes(10), "flood", EdgeId), (ban.Source, ban.Until, ban.Reason, ban.By));
        Assert.Equal(
            ["security event=flood src=192.0.2.7:5060 transport=udp kind=INVITE", "security event=banned src=192.0.2.7:5060 reason=flood for=600"],
            h.Kit.Events());

        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("REGISTER"), Attacker));
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("OPTIONS"), Udp("192.0.2.7", 5080)));
        Assert.Equal(ScreenVerdict.Disconnect, h.Guard.ScreenConnection(Tcp("192.0.2.7").Address));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("OPTIONS"), Bystander));
        Assert.Equal(3, h.Kit.Dropped("banned"));
        Assert.Equal(1, h.Security.Bans.Live(h.Time.GetUtcNow()));

        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Invites(Attacker, 5);                      // still flooding while banned: not banned again, not told again
        Assert.Empty(h.Published());
        Assert.Equal(2, h.Kit.Events().Length);
    }

    [Fact]
    public void A_ban_ends_by_itself_after_the_ban_time()
    {
        using var h = new GuardHarness(Limited(floodWindowsToBan: 1));
        h.Invites(Attacker, 4);
        Assert.True(h.IsBanned(Attacker));

        h.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(h.IsBanned(Attacker));
        Assert.Equal(ScreenVerdict.Accept, h.Screen(h.Request("INVITE"), Attacker));
    }

    [Fact]
    public void A_window_without_drops_starts_the_count_again()
    {
        using var h = new GuardHarness(Limited());

        h.Invites(Attacker, 4);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Invites(Attacker, 2);
        h.Time.Advance(TimeSpan.FromSeconds(3));     // a quiet spell refills the bucket: no drops for a window
        h.Invites(Attacker, 4);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        h.Invites(Attacker, 2);

        Assert.False(h.IsBanned(Attacker));
        Assert.Equal(2, h.Kit.Events().Count(e => e.StartsWith("security event=flood", StringComparison.Ordinal))); // two floods
    }

    [Fact]
    public void An_IPv4_mapped_source_is_banned_as_its_IPv4_address_and_refused_however_it_arrives()
    {
        using var h = new GuardHarness(Limited(floodWindowsToBan: 1));
        var mapped = Udp("::ffff:192.0.2.7");

        h.Invites(mapped, 4);

        Assert.Equal("192.0.2.7", Assert.Single(h.Published()).Source);
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("OPTIONS"), mapped));
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("OPTIONS"), Attacker));
        Assert.Contains("security event=banned src=192.0.2.7:5060 reason=flood for=600", h.Kit.Events());
    }

    [Fact]
    public void Sources_beyond_the_table_share_one_record_that_is_throttled_but_never_banned()
    {
        using var h = new GuardHarness(Limited(floodWindowsToBan: 1, maxTrackedSources: 1));
        h.Invites(Bystander, 1);                     // the one source with a record of its own

        var verdicts = h.Invites(Udp("198.51.100.1"), 2).Concat(h.Invites(Udp("198.51.100.2"), 2)).ToArray();

        Assert.Equal([ScreenVerdict.Accept, ScreenVerdict.Accept, ScreenVerdict.Accept, ScreenVerdict.Drop], verdicts);
        Assert.Empty(h.Published());
        Assert.Equal(0, h.Security.Bans.Count);
        Assert.Equal(1, h.Guard.TrackedSources);
    }

    [Fact]
    public void A_scanner_gets_no_response_and_its_source_is_banned_and_published()
    {
        using var h = new GuardHarness(new SecurityOptions { TrustedNetworks = [] });

        Assert.True(h.Drops(h.Request("OPTIONS", headers: "User-Agent: friendly-scanner"), Attacker, out var response));

        Assert.Null(response);
        Assert.True(h.IsBanned(Attacker));
        var ban = Assert.Single(h.Published());
        Assert.Equal(("192.0.2.7", "scanner"), (ban.Source, ban.Reason));
        Assert.Equal(
            ["security event=scanner src=192.0.2.7:5060 transport=udp method=OPTIONS ua=friendly-scanner", "security event=banned src=192.0.2.7:5060 reason=scanner for=600"],
            h.Kit.Events());
        Assert.Equal(1, h.Kit.Dropped("scanner"));
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("REGISTER"), Attacker)); // its next normal request: nothing
    }

    [Theory]
    [InlineData("User-Agent: SIPVicious 0.3.4")]
    [InlineData("user-agent: sipcli/v1.8")]
    [InlineData("User-Agent: Mozilla/5.0 (friendly-SCANNER)")]
    public void A_scanner_is_known_by_a_substring_of_its_user_agent_in_any_case(string header)
    {
        using var h = new GuardHarness();

        Assert.True(h.Drops(h.Request("REGISTER", headers: header), Attacker, out _));
        Assert.True(h.IsBanned(Attacker));
    }

    [Fact]
    public void An_ordinary_user_agent_is_not_a_scanner()
    {
        using var h = new GuardHarness();

        Assert.False(h.Drops(h.Request("OPTIONS", headers: "User-Agent: Linphone/5.2 (belle-sip/5.2)"), Attacker, out _));
        Assert.False(h.Drops(h.Request("REGISTER"), Attacker, out _));
        Assert.False(h.IsBanned(Attacker));
    }

    [Theory]
    [InlineData("INVITE")]
    [InlineData("MESSAGE")]
    [InlineData("SUBSCRIBE")]
    [InlineData("REFER")]
    public void An_untrusted_out_of_dialog_request_without_credentials_gets_a_stateless_407_with_the_challenges(string method)
    {
        using var h = new GuardHarness();
        var request = h.Request(method);

        Assert.True(h.Drops(request, Attacker, out var response));

        Assert.NotNull(response);
        Assert.Equal(407, response.StatusCode);
        Assert.Equal(method, response.CSeq.MethodName);
        Assert.Equal(Sip.Tests.Messages.TestMessages.Parse(request).TopVia.Branch, response.TopVia.Branch);
        Assert.NotNull(response.To.Tag);                 // the edge's own: the ACK of the 407 is known for the edge's
        var challenges = response.GetChallenges(HeaderId.ProxyAuthenticate);
        Assert.Equal([DigestAlgorithm.Md5, DigestAlgorithm.Sha256], challenges.Select(c => c.TryGetAlgorithm(out var a) ? a : default));
        Assert.All(challenges, c => Assert.Equal("example.com", c.Realm));       // the From host
        Assert.All(challenges, c => Assert.Equal(NonceValidity.Valid, h.Nonces.Validate(c.Nonce, "example.com")));
        Assert.False(h.IsBanned(Attacker));
        Assert.Empty(h.Kit.Events());
    }

    [Theory]
    [InlineData("INVITE", "b1")]       // in a dialog: never challenged here
    [InlineData("BYE", "b1")]
    [InlineData("REGISTER", null)]     // the registrar challenges its own
    [InlineData("OPTIONS", null)]      // answered by the edge, never routed
    [InlineData("CANCEL", null)]
    [InlineData("ACK", null)]
    public void Requests_that_are_not_routed_out_of_dialog_pass_the_screen_unchallenged(string method, string? toTag)
    {
        using var h = new GuardHarness();

        Assert.False(h.Drops(h.Request(method, toTag), Attacker, out var response));
        Assert.Null(response);
    }

    [Fact]
    public void An_INVITE_with_credentials_for_the_realm_passes_to_the_router_and_one_with_another_realms_is_challenged()
    {
        using var h = new GuardHarness();
        var ours = $"Proxy-Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"{h.Nonces.Issue("example.com")}\", uri=\"sip:bob@example.com\", response=\"0123456789abcdef0123456789abcdef\"";
        var theirs = ours.Replace("realm=\"example.com\"", "realm=\"other.example\"", StringComparison.Ordinal);

        Assert.False(h.Drops(h.Request("INVITE", headers: ours), Attacker, out var none));
        Assert.Null(none);
        Assert.True(h.Drops(h.Request("INVITE", headers: theirs), Attacker, out var challenge));
        Assert.Equal(407, challenge!.StatusCode);
    }

    [Fact]
    public void A_configured_realm_is_the_challenges_whatever_the_From_host()
    {
        using var h = new GuardHarness(new SecurityOptions { Realm = "calls.example.net" });

        Assert.True(h.Drops(h.Request("INVITE", fromHost: "Attacker.Example"), Attacker, out var response));

        Assert.All(response!.GetChallenges(HeaderId.ProxyAuthenticate), c => Assert.Equal("calls.example.net", c.Realm));
    }

    [Fact]
    public void Challenges_beyond_the_sources_limit_are_not_sent_so_the_edge_never_amplifies()
    {
        using var h = new GuardHarness(new SecurityOptions { RateLimits = { ["Challenge"] = new() { PerSecond = 1, Burst = 2 } }, FloodWindowsToBan = 10 });

        var responses = Enumerable.Range(0, 4).Select(_ => (h.Drops(h.Request("INVITE"), Attacker, out var r), r?.StatusCode)).ToArray();

        Assert.Equal(new (bool, int?)[] { (true, 407), (true, 407), (true, null), (true, null) }, responses);
        Assert.True(h.Drops(h.Request("INVITE"), Bystander, out var other));
        Assert.Equal(407, other!.StatusCode);
        Assert.Equal(["security event=flood src=192.0.2.7:5060 transport=udp kind=Challenge"], h.Kit.Events());
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(h.Drops(h.Request("INVITE"), Attacker, out var again));
        Assert.Equal(407, again!.StatusCode);
    }

    [Fact]
    public void Failed_attempts_beyond_the_maximum_in_the_window_ban_the_source()
    {
        using var h = new GuardHarness(new SecurityOptions { MaxAuthFailures = 2, AuthFailureWindow = TimeSpan.FromMinutes(1) });

        h.Guard.AuthFailed(Attacker, "alice", "REGISTER");
        h.Guard.AuthFailed(Attacker, "bob", "INVITE");
        Assert.False(h.IsBanned(Attacker));
        Assert.Empty(h.Published());

        h.Guard.AuthFailed(Attacker, null, "REGISTER");

        Assert.True(h.IsBanned(Attacker));
        Assert.Equal("auth-failure", Assert.Single(h.Published()).Reason);
        Assert.Equal(
            [
                "security event=auth-failure src=192.0.2.7:5060 transport=udp user=alice method=REGISTER",
                "security event=auth-failure src=192.0.2.7:5060 transport=udp user=bob method=INVITE",
                "security event=auth-failure src=192.0.2.7:5060 transport=udp method=REGISTER",
                "security event=banned src=192.0.2.7:5060 reason=auth-failure for=600",
            ],
            h.Kit.Events());
        Assert.Equal(ScreenVerdict.Disconnect, h.Screen(h.Request("REGISTER"), Attacker)); // even with the right password
    }

    [Fact]
    public void Failed_attempts_spread_wider_than_the_window_do_not_ban()
    {
        using var h = new GuardHarness(new SecurityOptions { MaxAuthFailures = 2, AuthFailureWindow = TimeSpan.FromMinutes(1) });

        for (var i = 0; i < 6; i++)
        {
            h.Guard.AuthFailed(Attacker, "alice", "REGISTER");
            h.Time.Advance(TimeSpan.FromSeconds(31));
        }

        Assert.False(h.IsBanned(Attacker));
        Assert.False(h.IsBanned(Bystander));
    }

    [Fact]
    public void Each_source_has_its_share_of_connections_and_a_closed_one_frees_its_place()
    {
        using var h = new GuardHarness(new SecurityOptions { MaxConnectionsPerSource = 2, TrustedNetworks = ["127.0.0.1/32"] });
        var attacker = Tcp("192.0.2.7").Address;

        Assert.Equal(ScreenVerdict.Accept, h.Guard.ScreenConnection(attacker));
        Assert.Equal(ScreenVerdict.Accept, h.Guard.ScreenConnection(new(attacker.Address, 40001)));
        Assert.Equal(ScreenVerdict.Disconnect, h.Guard.ScreenConnection(new(attacker.Address, 40002)));
        Assert.Equal(ScreenVerdict.Accept, h.Guard.ScreenConnection(Tcp("192.0.2.8").Address));
        Assert.All(Enumerable.Range(0, 10), i => Assert.Equal(ScreenVerdict.Accept, h.Guard.ScreenConnection(new(Carrier.Address.Address, 40000 + i))));
        Assert.Equal(1, h.Kit.Dropped("connections"));

        h.Guard.ConnectionClosed(attacker);

        Assert.Equal(ScreenVerdict.Accept, h.Guard.ScreenConnection(new(attacker.Address, 40003)));
        Assert.Equal(ScreenVerdict.Disconnect, h.Guard.ScreenConnection(new(attacker.Address, 40004)));
        Assert.False(h.IsBanned(Tcp("192.0.2.7")));       // a connection limit drops; it does not ban
    }

    [Fact]
    public void A_sweep_forgets_sources_idle_for_longer_than_every_window()
    {
        using var h = new GuardHarness(new SecurityOptions { AuthFailureWindow = TimeSpan.FromSeconds(30), FloodWindow = TimeSpan.FromSeconds(1), FloodWindowsToBan = 3 });
        h.Screen(h.Request("OPTIONS"), Attacker);
        h.Guard.ScreenConnection(Tcp("192.0.2.8").Address);    // an open connection keeps its source
        Assert.Equal(2, h.Guard.TrackedSources);

        h.Time.Advance(TimeSpan.FromSeconds(29));
        h.Guard.Sweep();
        Assert.Equal(2, h.Guard.TrackedSources);

        h.Time.Advance(TimeSpan.FromSeconds(2));
        h.Guard.Sweep();
        Assert.Equal(1, h.Guard.TrackedSources);
    }
}
