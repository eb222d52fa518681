using CallControl.Edge.Hosting;
using System.Net;
using CallControl.Edge.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// <c>CallControl:Security</c>: bound from configuration as the edge binds it (lists by index, rate limits per kind over
/// their defaults, in any case), refused at start naming the key that is wrong, and made into the policy the guard asks.
/// </summary>
public sealed class SecurityOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_limit_every_kind()
    {
        var options = new SecurityOptions();

        Assert.True(new SecurityOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(RateLimit.Kinds, options.RateLimits.Keys);
        Assert.All(RateLimit.Kinds, kind => Assert.True(options.LimitFor(kind).PerSecond > 0 && options.LimitFor(kind).Burst >= 1, kind));
        Assert.Equal(5, options.MaxAuthFailures);
        Assert.Equal(TimeSpan.FromMinutes(10), options.BanTime);
    }

    [Fact]
    public void Lists_bind_by_index_in_order()
    {
        var options = Bound(
            ("TrustedNetworks:0", "10.0.0.0/8"), ("TrustedNetworks:1", "2001:db8::/32"),
            ("AllowedNetworks:0", "0.0.0.0/0"),
            ("DeniedNetworks:0", "203.0.113.0/24"), ("DeniedNetworks:1", "198.51.100.7"),
            ("ScannerUserAgents:0", "evil-dialer"));

        Assert.Equal(["10.0.0.0/8", "2001:db8::/32"], options.TrustedNetworks);
        Assert.Equal(["0.0.0.0/0"], options.AllowedNetworks);
        Assert.Equal(["203.0.113.0/24", "198.51.100.7"], options.DeniedNetworks);
        Assert.Equal(["evil-dialer"], options.ScannerUserAgents);
    }

    [Fact]
    public void Unset_trusted_networks_stay_null_and_the_hosts_default_applies()
    {
        var options = Bound(("MaxAuthFailures", "3"));

        Assert.Null(options.TrustedNetworks);
        var policy = new SecurityPolicy(options, TrustedByDefault.Loopback.Networks);
        Assert.True(policy.IsTrusted(IPAddress.Parse("127.0.0.21")));
        Assert.True(policy.IsTrusted(IPAddress.IPv6Loopback)); // loopback over IPv6 is the same host
        Assert.False(policy.IsTrusted(IPAddress.Parse("192.0.2.1")));
        Assert.False(policy.IsTrusted(IPAddress.Parse("2001:db8::1")));
        Assert.True(new SecurityPolicy(options, TrustedByDefault.None.Networks).Trusted.IsEmpty);
    }

    [Fact]
    public void Trusted_networks_set_to_one_empty_item_trust_nothing_even_where_loopback_is_the_default()
    {
        var options = Bound(("TrustedNetworks:0", ""));

        Assert.NotNull(options.TrustedNetworks);
        var policy = new SecurityPolicy(options, TrustedByDefault.Loopback.Networks);
        Assert.False(policy.IsTrusted(IPAddress.Loopback));
        Assert.False(policy.IsTrusted(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void Configured_trusted_networks_replace_the_default()
    {
        var policy = new SecurityPolicy(Bound(("TrustedNetworks:0", "127.0.0.1/32")), TrustedByDefault.Loopback.Networks);

        Assert.True(policy.IsTrusted(IPAddress.Parse("127.0.0.1")));
        Assert.False(policy.IsTrusted(IPAddress.Parse("127.0.0.21"))); // the end-to-end tests' untrusted callers
    }

    [Fact]
    public void Scanner_user_agents_unset_are_the_default_list_matched_case_insensitively_as_substrings()
    {
        var policy = new SecurityPolicy(Bound());

        Assert.Equal(SecurityOptions.DefaultScannerUserAgents, policy.ScannerUserAgents);
        Assert.True(policy.IsScanner("friendly-scanner"));
        Assert.True(policy.IsScanner("SIPVicious 0.3.4"));
        Assert.True(policy.IsScanner("Mozilla sipcli/v1.8"));
        Assert.False(policy.IsScanner("Linphone/5.2"));
        Assert.False(policy.IsScanner(""));
        Assert.False(policy.IsScanner(null));
    }

    [Fact]
    public void Scanner_user_agents_set_to_one_empty_item_match_nothing()
    {
        var options = Bound(("ScannerUserAgents:0", ""));

        var policy = new SecurityPolicy(options);
        Assert.Empty(policy.ScannerUserAgents);
        Assert.False(policy.IsScanner("friendly-scanner"));
        Assert.False(policy.IsScanner("anything"));
    }

    [Fact]
    public void Configured_scanner_user_agents_replace_the_default()
    {
        var policy = new SecurityPolicy(Bound(("ScannerUserAgents:0", "evil-dialer")));

        Assert.True(policy.IsScanner("Evil-Dialer 2.0"));
        Assert.False(policy.IsScanner("friendly-scanner"));
    }

    [Theory]
    [InlineData("INVITE")]
    [InlineData("invite")]
    [InlineData("Invite")]
    public void One_rate_limit_setting_keeps_the_other_defaults_in_any_case(string kind)
    {
        var options = Bound(($"RateLimits:{kind}:PerSecond", "2"));
        var defaults = RateLimit.Defaults();

        Assert.True(new SecurityOptionsValidator().Validate(null, options).Succeeded);
        var invite = options.LimitFor("INVITE");
        Assert.Equal(2, invite.PerSecond);
        Assert.Equal(defaults["INVITE"].Burst, invite.Burst);
        foreach (var other in RateLimit.Kinds.Where(k => k != "INVITE"))
        {
            Assert.Equal((defaults[other].PerSecond, defaults[other].Burst), (options.LimitFor(other).PerSecond, options.LimitFor(other).Burst));
        }

        var policy = new SecurityPolicy(options);
        Assert.Equal(2, policy.Limits[(int)RequestKind.Invite].PerSecond);
        Assert.Equal(defaults["INVITE"].Burst, policy.Limits[(int)RequestKind.Invite].Burst);
        Assert.Equal(defaults["REGISTER"].PerSecond, policy.Limits[(int)RequestKind.Register].PerSecond);
    }

    [Fact]
    public void A_lower_case_kind_set_in_code_applies_too()
    {
        var options = new SecurityOptions { RateLimits = new() { ["options"] = new() { PerSecond = 1, Burst = 2 } } };

        Assert.True(new SecurityOptionsValidator().Validate(null, options).Succeeded);
        var policy = new SecurityPolicy(options);
        Assert.Equal((1d, 2), (policy.Limits[(int)RequestKind.Options].PerSecond, policy.Limits[(int)RequestKind.Options].Burst));
        Assert.Equal(RateLimit.Defaults()["INVITE"].Burst, policy.Limits[(int)RequestKind.Invite].Burst);
    }

    [Fact]
    public void A_rate_limit_of_zero_per_second_is_no_limit()
    {
        var options = Bound(("RateLimits:OPTIONS:PerSecond", "0"), ("RateLimits:OPTIONS:Burst", "0"));

        Assert.True(new SecurityOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(0, new SecurityPolicy(options).Limits[(int)RequestKind.Options].PerSecond);
    }

    [Fact]
    public void Scalars_and_windows_bind()
    {
        var options = Bound(
            ("MaxAuthFailures", "3"), ("AuthFailureWindow", "00:01:00"), ("BanTime", "01:00:00"), ("FloodWindow", "00:00:02"),
            ("FloodWindowsToBan", "4"), ("MaxConnectionsPerSource", "8"), ("MaxTrackedSources", "10"), ("Realm", "example.com"),
            ("LogPath", "/var/log/callcontrol/security.log"), ("BanSyncInterval", "00:00:00.250"));

        Assert.Equal(
            (3, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromSeconds(2), 4, 8, 10, "example.com", "/var/log/callcontrol/security.log", TimeSpan.FromMilliseconds(250)),
            (options.MaxAuthFailures, options.AuthFailureWindow, options.BanTime, options.FloodWindow, options.FloodWindowsToBan, options.MaxConnectionsPerSource,
                options.MaxTrackedSources, options.Realm, options.LogPath, options.BanSyncInterval));
    }

    [Theory]
    [InlineData("CallControl:Security:TrustedNetworks:1: '10.0.0.1/8' is not a network", "TrustedNetworks:0=10.0.0.0/8", "TrustedNetworks:1=10.0.0.1/8")]
    [InlineData("CallControl:Security:AllowedNetworks:0: 'somewhere' is not a network", "AllowedNetworks:0=somewhere")]
    [InlineData("CallControl:Security:DeniedNetworks:1: '300.1.1.1' is not a network", "DeniedNetworks:0=192.0.2.0/24", "DeniedNetworks:1=300.1.1.1")]
    [InlineData("CallControl:Security:RateLimits:PRACK is not a kind of request that is limited", "RateLimits:PRACK:PerSecond=1")]
    [InlineData("CallControl:Security:RateLimits:INVITE: PerSecond must be 0", "RateLimits:INVITE:PerSecond=-1")]
    [InlineData("CallControl:Security:RateLimits:REGISTER: PerSecond must be 0", "RateLimits:REGISTER:Burst=0")]
    [InlineData("CallControl:Security:RateLimits:Other: PerSecond must be 0", "RateLimits:Other:Burst=-5")]
    [InlineData("CallControl:Security:RateLimits:Challenge: PerSecond must be 0", "RateLimits:Challenge:PerSecond=NaN")]
    [InlineData("CallControl:Security:MaxAuthFailures must be from 1 to 100", "MaxAuthFailures=0")]
    [InlineData("CallControl:Security:MaxAuthFailures must be from 1 to 100", "MaxAuthFailures=101")]
    [InlineData("CallControl:Security:AuthFailureWindow must be more than 0", "AuthFailureWindow=00:00:00")]
    [InlineData("CallControl:Security:BanTime must be more than 0", "BanTime=-00:00:01")]
    [InlineData("CallControl:Security:FloodWindow must be more than 0", "FloodWindow=00:00:00")]
    [InlineData("CallControl:Security:BanSyncInterval must be more than 0", "BanSyncInterval=00:00:00")]
    [InlineData("CallControl:Security:FloodWindowsToBan must be at least 1", "FloodWindowsToBan=0")]
    [InlineData("CallControl:Security:MaxConnectionsPerSource must be at least 1", "MaxConnectionsPerSource=0")]
    [InlineData("CallControl:Security:MaxTrackedSources must be at least 1", "MaxTrackedSources=-1")]
    public void A_bad_setting_is_refused_naming_its_key(string failure, params string[] settings)
    {
        var options = Bound([.. settings.Select(s => (s[..s.IndexOf('=', StringComparison.Ordinal)], s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]))]);

        var failures = new SecurityOptionsValidator().Validate(null, options).Failures;

        Assert.StartsWith(failure, Assert.Single(failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_failure_is_reported_at_once()
    {
        var options = Bound(("DeniedNetworks:0", "nowhere"), ("MaxAuthFailures", "0"), ("FloodWindow", "00:00:00"));

        var failures = new SecurityOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("CallControl:Security:DeniedNetworks:0:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CallControl:Security:MaxAuthFailures", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CallControl:Security:FloodWindow", StringComparison.Ordinal));
    }

    [Fact]
    public void The_edges_registration_binds_the_section_and_validates_it_at_start()
    {
        using var services = Services(("TrustedNetworks:0", "10.0.0.0/8"), ("RateLimits:invite:Burst", "7"));

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        Assert.Equal(["10.0.0.0/8"], options.TrustedNetworks);
        Assert.Equal((RateLimit.Defaults()["INVITE"].PerSecond, 7), (options.LimitFor("INVITE").PerSecond, options.LimitFor("INVITE").Burst));
    }

    [Fact]
    public void A_bad_setting_stops_start_up_through_the_edges_registration()
    {
        using var services = Services(("TrustedNetworks:0", "127.0.0.1/33"));

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.StartsWith("CallControl:Security:TrustedNetworks:0:", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    // As the edge's registration binds (OptionsBuilder.Bind), without its validation: the tests validate.
    private static SecurityOptions Bound(params (string Key, string Value)[] settings)
    {
        var options = new SecurityOptions();
        Configuration(settings).GetSection(SecurityOptions.Section).Bind(options);
        return options;
    }

    // The edge's own registration (AddEdgeSecurity), over an in-memory configuration under CallControl:Security, with
    // the nonce keys a host derives from its cluster secret.
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var services = new ServiceCollection().AddEdgeSecurity(Configuration(settings), TrustedByDefault.None);
        services.AddDigestNonceKeys("a-cluster-secret", []);
        return services.BuildServiceProvider();
    }

    private static IConfiguration Configuration((string Key, string Value)[] settings)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{SecurityOptions.Section}:{s.Key}", s.Value)))
            .Build();
}
