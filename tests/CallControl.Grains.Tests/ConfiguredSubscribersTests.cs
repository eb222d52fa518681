using CallControl.Grains.Registrar;
using CallControl.Sip.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Tests;

/// <summary>The embedded default's subscribers from configuration (<c>CallControl:Subscribers</c>), as a silo binds them.</summary>
public sealed class ConfiguredSubscribersTests
{
    [Fact]
    public async Task A_password_gives_both_HA1s_and_the_realm_is_matched_in_any_case()
    {
        var store = Store(("0:Username", "alice"), ("0:Realm", "Example.COM"), ("0:Password", "wonderland"));

        var alice = await store.FindAsync("alice", "EXAMPLE.com", CancellationToken.None);

        Assert.NotNull(alice);
        Assert.Equal(DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "alice", "example.com", "wonderland"), alice.Ha1Md5);
        Assert.Equal(DigestCalculator.ComputeHa1(DigestAlgorithm.Sha256, "alice", "example.com", "wonderland"), alice.Ha1Sha256);
        Assert.Null(await store.FindAsync("alice", "other.example", CancellationToken.None));
        Assert.Null(await store.FindAsync("bob", "example.com", CancellationToken.None));
    }

    [Fact]
    public async Task An_HA1_is_taken_as_it_is_and_without_a_SHA256_one_only_MD5_can_match()
    {
        var ha1 = DigestCalculator.ComputeHa1(DigestAlgorithm.Md5, "bob", "example.com", "secret");
        var store = Store(("0:Username", "bob"), ("0:Realm", "example.com"), ("0:Ha1", ha1.ToUpperInvariant()));

        var bob = await store.FindAsync("bob", "example.com", CancellationToken.None);

        Assert.Equal((ha1, ""), (bob!.Ha1Md5, bob.Ha1Sha256));
    }

    [Fact]
    public async Task Nothing_configured_is_nobody()
        => Assert.Null(await Store().FindAsync("alice", "example.com", CancellationToken.None));

    [Theory]
    [InlineData("CallControl:Subscribers:0:Username is required", "0:Realm=example.com", "0:Password=x")]
    [InlineData("CallControl:Subscribers:0:Username is required", "0:Username=a@b", "0:Realm=example.com", "0:Password=x")]
    [InlineData("CallControl:Subscribers:0:Realm is required", "0:Username=alice", "0:Password=x")]
    [InlineData("CallControl:Subscribers:0: set Password or Ha1", "0:Username=alice", "0:Realm=example.com")]
    [InlineData("CallControl:Subscribers:0: set Password or Ha1", "0:Username=alice", "0:Realm=example.com", "0:Password=x", "0:Ha1=0123456789abcdef0123456789abcdef")]
    [InlineData("CallControl:Subscribers:0:Ha1 must be 32 hex digits", "0:Username=alice", "0:Realm=example.com", "0:Ha1=xyz")]
    [InlineData("CallControl:Subscribers:0:Ha1Sha256 must be 64 hex digits", "0:Username=alice", "0:Realm=example.com", "0:Ha1=0123456789abcdef0123456789abcdef", "0:Ha1Sha256=12")]
    [InlineData("CallControl:Subscribers:1: alice@EXAMPLE.com is listed twice", "0:Username=alice", "0:Realm=example.com", "0:Password=x", "1:Username=alice", "1:Realm=EXAMPLE.com", "1:Password=y")]
    public void A_bad_entry_stops_start_up_naming_its_key(string expected, params string[] settings)
    {
        using var services = Services([.. settings.Select(s => (s[..s.IndexOf('=', StringComparison.Ordinal)], s[(s.IndexOf('=', StringComparison.Ordinal) + 1)..]))]);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<List<SubscriberEntry>>>().Value);
        Assert.Contains(failure.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    private static ISubscriberStore Store(params (string Key, string Value)[] settings)
        => Services(settings).GetRequiredService<ISubscriberStore>();

    // The registration a silo makes (AddCallControlGrains), over an in-memory configuration.
    private static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create<string, string?>($"{SubscriberEntry.Section}:{s.Key}", s.Value)))
            .Build();
        return new ServiceCollection().AddCallControlGrains(configuration).BuildServiceProvider();
    }
}
