using CallControl.Sip.Auth;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Sip.Tests.Auth;

/// <summary>Nonces across a secret rotation: issued under the current secret, accepted under a previous one.</summary>
public sealed class NonceKeyRingTests
{
    private const string Realm = AuthTestKit.Realm;

    [Fact]
    public void A_nonce_issued_under_the_previous_secret_is_still_valid_after_the_rotation()
    {
        var before = new AuthTestKit(AuthTestKit.Secret);
        var after = Rotated(before.Time);

        Assert.Equal(NonceValidity.Valid, after.Validate(before.Nonces.Issue(Realm), Realm));
        Assert.Equal(NonceValidity.Invalid, after.Validate(before.Nonces.Issue("other.example"), Realm)); // still signed for its realm
    }

    [Fact]
    public void A_nonce_from_the_previous_secret_still_turns_stale_after_its_lifetime()
    {
        var before = new AuthTestKit(AuthTestKit.Secret);
        var after = Rotated(before.Time);
        var nonce = before.Nonces.Issue(Realm);

        before.Time.Advance(before.Options.NonceLifetime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(NonceValidity.Stale, after.Validate(nonce, Realm));
    }

    [Fact]
    public void New_nonces_are_issued_under_the_current_secret_only()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var after = Rotated(time);
        var notRotated = new AuthTestKit(AuthTestKit.Secret, time: time);
        var current = new AuthTestKit(AuthTestKit.OtherSecret, time: time);
        var nonce = after.Issue(Realm);

        Assert.Equal(NonceValidity.Invalid, notRotated.Nonces.Validate(nonce, Realm));
        Assert.Equal(NonceValidity.Valid, current.Nonces.Validate(nonce, Realm));
    }

    [Fact]
    public void A_nonce_under_a_secret_no_longer_listed_is_invalid()
    {
        var dropped = new AuthTestKit(AuthTestKit.Secret);
        var time = dropped.Time;
        var ring = new NonceService(AuthTestKit.Wrap(new DigestAuthOptions { NonceSecret = AuthTestKit.OtherSecret, PreviousNonceSecrets = [new byte[32]] }), time);

        Assert.Equal(NonceValidity.Invalid, ring.Validate(dropped.Nonces.Issue(Realm), Realm));
    }

    [Fact]
    public void A_short_previous_secret_is_refused_naming_its_key()
    {
        var failures = new DigestAuthOptionsValidator().Validate(null, new DigestAuthOptions
        {
            NonceSecret = AuthTestKit.Secret,
            PreviousNonceSecrets = [AuthTestKit.OtherSecret, new byte[16]],
        }).Failures!.ToList();

        Assert.Equal("CallControl:Sip:Auth:PreviousNonceSecrets:1 must be at least 32 bytes (base64); got 16.", Assert.Single(failures));
    }

    /// <summary>A node after the rotation: OtherSecret current, Secret previous.</summary>
    private static NonceService Rotated(FakeTimeProvider time)
        => new(AuthTestKit.Wrap(new DigestAuthOptions { NonceSecret = AuthTestKit.OtherSecret, PreviousNonceSecrets = [AuthTestKit.Secret] }), time);
}
