using CallControl.Sip.Auth;

namespace CallControl.Sip.Tests.Auth;

public sealed class DigestSerialisationTests
{
    [Fact]
    public void A_challenge_is_written_as_rfc_3261_quotes_it()
    {
        var challenge = new DigestChallenge("example.com", "abc") { Algorithm = "SHA-256", QopOptions = ["auth"], Stale = true };
        Assert.Equal("Digest realm=\"example.com\", qop=\"auth\", algorithm=SHA-256, nonce=\"abc\", stale=true", challenge.ToHeaderValue());
    }

    [Fact]
    public void A_challenge_survives_the_round_trip()
    {
        var challenge = new DigestChallenge("Mr \"Q\" \\ co, ltd", "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v")
        {
            Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
            Algorithm = "SHA-256-sess",
            QopOptions = ["auth", "auth-int"],
            Stale = true,
            Userhash = true,
        };

        Assert.True(DigestChallenge.TryParse(challenge.ToHeaderValue(), out var back));
        Assert.Equal(challenge.Realm, back.Realm);
        Assert.Equal(challenge.Nonce, back.Nonce);
        Assert.Equal(challenge.Opaque, back.Opaque);
        Assert.Equal(challenge.Algorithm, back.Algorithm);
        Assert.Equal(challenge.QopOptions, back.QopOptions);
        Assert.True(back.Stale);
        Assert.True(back.Userhash);
        Assert.Equal(challenge.ToHeaderValue(), back.ToHeaderValue());
    }

    [Fact]
    public void Stale_false_and_absent_flags_read_as_false()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", stale=FALSE", out var challenge));
        Assert.False(challenge.Stale);
        Assert.False(challenge.Userhash);
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", stale=TRUE", out var stale));
        Assert.True(stale.Stale);
    }

    [Fact]
    public void Credentials_survive_the_round_trip()
    {
        var credentials = new DigestCredentials("bob", "example.com", "n/1=", "sip:example.com;transport=tcp", "0123abcd")
        {
            Algorithm = "MD5",
            Cnonce = "c\"n",
            Qop = "auth",
            NonceCount = "0000000a",
            Opaque = "op",
        };

        var text = credentials.ToHeaderValue();
        Assert.Equal(
            "Digest username=\"bob\", realm=\"example.com\", nonce=\"n/1=\", uri=\"sip:example.com;transport=tcp\", response=\"0123abcd\", " +
            "algorithm=MD5, cnonce=\"c\\\"n\", opaque=\"op\", qop=auth, nc=0000000a",
            text);
        Assert.True(DigestCredentials.TryParse(text, out var back));
        Assert.Equal(credentials, back);
    }

    [Fact]
    public void A_value_that_is_not_a_token_is_quoted_where_a_token_was_expected()
    {
        var challenge = new DigestChallenge("r", "n") { Algorithm = "odd name" };
        Assert.Contains("algorithm=\"odd name\"", challenge.ToHeaderValue(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil\r\nVia: SIP/2.0/UDP attacker")]
    [InlineData("nul\0")]
    public void Values_that_would_break_the_header_are_refused(string realm) =>
        Assert.Throws<ArgumentException>(() => new DigestChallenge(realm, "n").ToHeaderValue());
}
