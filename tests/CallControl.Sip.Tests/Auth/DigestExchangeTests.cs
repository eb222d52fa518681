using CallControl.Sip.Auth;

namespace CallControl.Sip.Tests.Auth;

/// <summary>Challenge → client answer → server verdict, with every value passing through its header text.</summary>
public sealed class DigestExchangeTests
{
    private const string Realm = AuthTestKit.Realm;

    [Fact]
    public void The_challenge_offers_md5_then_sha256_by_default_with_qop_auth_and_one_fresh_nonce()
    {
        var kit = new AuthTestKit();
        var values = kit.Challenger.CreateHeaderValues(Realm);

        Assert.Equal(2, values.Count);
        Assert.True(DigestChallenge.TryParse(values[0], out var first));
        Assert.True(DigestChallenge.TryParse(values[1], out var second));
        Assert.Equal("MD5", first.Algorithm);
        Assert.Equal("SHA-256", second.Algorithm);
        Assert.Equal(["auth"], first.QopOptions);
        Assert.Equal(["auth"], second.QopOptions);
        Assert.Equal(first.Nonce, second.Nonce);
        Assert.Equal(NonceValidity.Valid, kit.Nonces.Validate(first.Nonce, Realm));
        Assert.False(first.Stale);
        Assert.Equal(Realm, first.Realm);
    }

    [Theory]
    [InlineData(0, DigestAlgorithm.Md5)]    // a client that takes the first it supports (or reads only the first)
    [InlineData(1, DigestAlgorithm.Sha256)] // a client that passes over MD5
    public void A_full_exchange_authenticates(int skip, DigestAlgorithm expected)
    {
        var kit = new AuthTestKit();
        var challenges = new List<DigestChallenge>();
        foreach (var value in kit.Challenger.CreateHeaderValues(Realm).Skip(skip))
        {
            Assert.True(DigestChallenge.TryParse(value, out var challenge));
            challenges.Add(challenge);
        }

        Assert.True(DigestClient.TryChoose(challenges, out var chosen));
        Assert.True(chosen.TryGetAlgorithm(out var algorithm));
        Assert.Equal(expected, algorithm);
        var credentials = DigestClient.Answer(chosen, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(credentials));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Md5Sess)]
    [InlineData(DigestAlgorithm.Sha256Sess)]
    public void Each_algorithm_accepts_the_right_password_and_refuses_a_wrong_one(DigestAlgorithm algorithm)
    {
        var kit = new AuthTestKit();
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(kit.Answer(algorithm)));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(kit.Answer(algorithm, password: "Correct horse battery staple")));
    }

    [Fact]
    public void The_response_covers_method_uri_and_cnonce()
    {
        var kit = new AuthTestKit();
        var credentials = kit.Answer(DigestAlgorithm.Sha256Sess, method: "INVITE");
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(credentials, method: "INVITE"));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(credentials, method: "BYE"));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(credentials with { Uri = "sip:other.example" }));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(credentials with { Cnonce = "another" }));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(credentials with { NonceCount = "00000002" }));
    }

    [Fact]
    public void An_expired_nonce_with_the_right_password_is_stale_and_the_next_challenge_says_so()
    {
        var kit = new AuthTestKit();
        var credentials = kit.Answer(DigestAlgorithm.Sha256);
        kit.Time.Advance(kit.Options.NonceLifetime + TimeSpan.FromSeconds(1));

        Assert.Equal(DigestVerdict.Stale, kit.VerifyOnWire(credentials));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Sha256, password: "guess") with { Nonce = credentials.Nonce }));

        var values = kit.Challenger.CreateHeaderValues(Realm, stale: true);
        Assert.All(values, value => Assert.Contains("stale=true", value, StringComparison.Ordinal));
        Assert.True(DigestChallenge.TryParse(values[0], out var again));
        Assert.True(again.Stale);
        var retry = DigestClient.Answer(again, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(retry));
    }

    [Fact]
    public void A_tampered_or_foreign_nonce_is_invalid_even_with_a_matching_response()
    {
        var kit = new AuthTestKit();
        var foreign = new AuthTestKit(AuthTestKit.OtherSecret, time: kit.Time);
        var tamperedNonce = kit.Nonces.Issue(Realm).ToCharArray();
        tamperedNonce[5] = tamperedNonce[5] == 'x' ? 'y' : 'x';

        foreach (var nonce in new[] { new string(tamperedNonce), foreign.Nonces.Issue(Realm) })
        {
            var challenge = new DigestChallenge(Realm, nonce) { Algorithm = "SHA-256", QopOptions = ["auth"] };
            var credentials = DigestClient.Answer(challenge, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);
            Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(credentials));
        }
    }

    [Fact]
    public void Credentials_we_cannot_accept_are_invalid()
    {
        var kit = new AuthTestKit();
        var good = kit.Answer(DigestAlgorithm.Sha256);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(good));

        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { Realm = "other.example" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { Algorithm = "SHA-512-256" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { Qop = "auth-int" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { Cnonce = null }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { NonceCount = null }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { NonceCount = "1" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { NonceCount = "0000000g" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(good with { Username = "" }));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5Sess) with { Qop = null }));
    }

    [Fact]
    public void Rfc_2069_credentials_without_qop_are_accepted()
    {
        var kit = new AuthTestKit();
        var challenge = new DigestChallenge(Realm, kit.Nonces.Issue(Realm)); // no qop, no algorithm: MD5
        var credentials = DigestClient.Answer(challenge, AuthTestKit.Username, AuthTestKit.Password, "REGISTER", AuthTestKit.RequestUri);

        Assert.Null(credentials.Qop);
        Assert.Null(credentials.Cnonce);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(credentials));
    }

    [Fact]
    public void Upper_case_hex_responses_are_accepted()
    {
        var kit = new AuthTestKit();
        var credentials = kit.Answer(DigestAlgorithm.Md5);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(credentials with { Response = credentials.Response.ToUpperInvariant() }));
        Assert.Equal(DigestVerdict.Wrong, kit.VerifyOnWire(credentials with { Response = credentials.Response[..^1] }));
    }

    [Fact]
    public void An_ha1_made_with_the_other_hash_does_not_verify()
    {
        var kit = new AuthTestKit();
        var credentials = kit.Answer(DigestAlgorithm.Sha256);
        Assert.Equal(DigestVerdict.Wrong, kit.Verifier.Verify("REGISTER", credentials, Realm, AuthTestKit.StoredHa1(DigestAlgorithm.Md5)));
    }

    [Fact]
    public void With_md5_disabled_only_sha256_is_offered_and_md5_is_refused()
    {
        var kit = new AuthTestKit(allowMd5: false);
        var challenge = Assert.Single(kit.Challenger.CreateChallenges(Realm));
        Assert.Equal("SHA-256", challenge.Algorithm);
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5)));
        Assert.Equal(DigestVerdict.Invalid, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Md5Sess)));
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(kit.Answer(DigestAlgorithm.Sha256)));
    }

    [Fact]
    public void The_client_passes_over_challenges_it_cannot_answer()
    {
        DigestChallenge[] challenges =
        [
            new("r", "n") { Algorithm = "SHA-512-256", QopOptions = ["auth"] },
            new("r", "n") { Algorithm = "SHA-256", QopOptions = ["auth-int"] },
            new("r", "n") { Algorithm = "MD5-sess" }, // -sess without qop
            new("r", "n") { Algorithm = "MD5", QopOptions = ["auth-int", "auth"] },
        ];
        Assert.True(DigestClient.TryChoose(challenges, out var chosen));
        Assert.Same(challenges[3], chosen);
        Assert.False(DigestClient.TryChoose(challenges[..3], out _));
        Assert.Throws<ArgumentException>(() => DigestClient.Answer(challenges[0], "u", "p", "REGISTER", "sip:r"));
    }

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Sha256)]
    public void An_answer_from_the_ha1_is_the_answer_from_the_password_and_the_server_takes_it(DigestAlgorithm algorithm)
    {
        // A trunk's credentials may be configured as the HA1 alone (outbound authentication, docs/interop.md).
        var kit = new AuthTestKit();
        var challenge = new DigestChallenge(AuthTestKit.Realm, kit.Nonces.Issue(AuthTestKit.Realm)) { Algorithm = algorithm.Name(), QopOptions = ["auth"] };

        var fromHa1 = DigestClient.AnswerWithHa1(challenge, AuthTestKit.Username, AuthTestKit.StoredHa1(algorithm), "INVITE", AuthTestKit.RequestUri, cnonce: "c1");
        var fromPassword = DigestClient.Answer(challenge, AuthTestKit.Username, AuthTestKit.Password, "INVITE", AuthTestKit.RequestUri, cnonce: "c1");

        Assert.Equal(fromPassword, fromHa1);
        Assert.Equal(DigestVerdict.Ok, kit.VerifyOnWire(fromHa1, "INVITE"));
    }
}
