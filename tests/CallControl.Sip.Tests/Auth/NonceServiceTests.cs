using CallControl.Sip.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Sip.Tests.Auth;

public sealed class NonceServiceTests
{
    private const string Realm = AuthTestKit.Realm;

    [Fact]
    public void A_fresh_nonce_is_valid_url_safe_and_unique()
    {
        var kit = new AuthTestKit();
        var nonce = kit.Nonces.Issue(Realm);

        Assert.Equal(NonceValidity.Valid, kit.Nonces.Validate(nonce, Realm));
        Assert.Equal(48, nonce.Length); // base64url of 8 + 12 + 16 bytes, unpadded
        Assert.DoesNotContain(nonce, c => c is '+' or '/' or '=' or '"' or '\\');
        Assert.NotEqual(nonce, kit.Nonces.Issue(Realm));
    }

    [Fact]
    public void Any_edge_with_the_secret_verifies_a_nonce_another_issued()
    {
        var edgeA = new AuthTestKit();
        var edgeB = new AuthTestKit(time: edgeA.Time);
        Assert.Equal(NonceValidity.Valid, edgeB.Nonces.Validate(edgeA.Nonces.Issue(Realm), Realm));
    }

    [Fact]
    public void A_nonce_turns_stale_after_its_lifetime()
    {
        var kit = new AuthTestKit();
        var nonce = kit.Nonces.Issue(Realm);

        kit.Time.Advance(kit.Options.NonceLifetime);
        Assert.Equal(NonceValidity.Valid, kit.Nonces.Validate(nonce, Realm));
        kit.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(NonceValidity.Stale, kit.Nonces.Validate(nonce, Realm));
    }

    [Fact]
    public void A_nonce_from_a_clock_too_far_ahead_is_stale_within_the_skew_valid()
    {
        var kit = new AuthTestKit();
        var ahead = new AuthTestKit(time: new FakeTimeProvider(kit.Time.GetUtcNow() + kit.Options.ClockSkew));
        Assert.Equal(NonceValidity.Valid, kit.Nonces.Validate(ahead.Nonces.Issue(Realm), Realm));
        ahead.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(NonceValidity.Stale, kit.Nonces.Validate(ahead.Nonces.Issue(Realm), Realm));
    }

    [Theory]
    [InlineData(0)]  // the timestamp: pushing the issue time forward must not extend a nonce
    [InlineData(15)] // the random part
    [InlineData(40)] // the tag
    [InlineData(47)]
    public void A_tampered_nonce_is_invalid(int position)
    {
        var kit = new AuthTestKit();
        var nonce = kit.Nonces.Issue(Realm).ToCharArray();
        nonce[position] = nonce[position] == 'A' ? 'B' : 'A';
        Assert.Equal(NonceValidity.Invalid, kit.Nonces.Validate(new string(nonce), Realm));
    }

    [Fact]
    public void A_nonce_signed_with_another_secret_or_for_another_realm_is_invalid()
    {
        var kit = new AuthTestKit();
        var foreign = new AuthTestKit(AuthTestKit.OtherSecret, time: kit.Time);
        Assert.Equal(NonceValidity.Invalid, kit.Nonces.Validate(foreign.Nonces.Issue(Realm), Realm));
        Assert.Equal(NonceValidity.Invalid, kit.Nonces.Validate(kit.Nonces.Issue("other.example"), Realm));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5f9c1a2b3c4d5e6f7a8b9c0d1e2f3a4b")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA A")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Garbage_is_invalid_without_exceptions(string nonce) =>
        Assert.Equal(NonceValidity.Invalid, new AuthTestKit().Nonces.Validate(nonce, Realm));

    [Fact]
    public void A_long_realm_is_signed_too()
    {
        var kit = new AuthTestKit();
        var realm = new string('r', 1000);
        var nonce = kit.Nonces.Issue(realm);
        Assert.Equal(NonceValidity.Valid, kit.Nonces.Validate(nonce, realm));
        Assert.Equal(NonceValidity.Invalid, kit.Nonces.Validate(nonce, realm + "x"));
    }

    [Fact]
    public void Weak_options_are_refused_naming_the_key()
    {
        var failures = new DigestAuthOptionsValidator().Validate(null, new DigestAuthOptions
        {
            NonceSecret = new byte[16],
            NonceLifetime = TimeSpan.Zero,
            ClockSkew = TimeSpan.FromSeconds(-1),
        }).Failures!.ToList();

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("CallControl:Sip:Auth:NonceSecret", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("CallControl:Sip:Auth:NonceLifetime", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("CallControl:Sip:Auth:ClockSkew", StringComparison.Ordinal));
        Assert.True(new DigestAuthOptionsValidator().Validate(null, new DigestAuthOptions { NonceSecret = AuthTestKit.Secret }).Succeeded);
    }

    [Fact]
    public void The_service_will_not_start_without_a_secret() =>
        Assert.Throws<OptionsValidationException>(() => new NonceService(AuthTestKit.Wrap(new DigestAuthOptions()), TimeProvider.System));
}
