using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Tests.Auth;

public sealed class DigestParsingTests
{
    private static readonly string BenchRegister = Path.Combine(SharedFiles.Root, "sip", "bench-messages", "register.sip");

    [Fact]
    public void Reads_the_authorization_of_a_real_register()
    {
        Assert.True(SipParser.TryParse(File.ReadAllBytes(BenchRegister), out var register, out var failure), failure.Describe());
        var line = Assert.Single(register.GetHeaders(HeaderId.Authorization));

        Assert.True(DigestCredentials.TryParse(line, out var credentials));
        Assert.Equal("bob", credentials.Username);
        Assert.Equal("example.com", credentials.Realm);
        Assert.Equal("5f9c1a2b3c4d5e6f7a8b9c0d1e2f3a4b", credentials.Nonce);
        Assert.Equal("sip:example.com", credentials.Uri);
        Assert.Equal("9a8f1e2d3c4b5a69788796a5b4c3d2e1", credentials.Response);
        Assert.Equal("MD5", credentials.Algorithm);
        Assert.Equal("0a4f113b", credentials.Cnonce);
        Assert.Equal("auth", credentials.Qop);
        Assert.Equal("00000001", credentials.NonceCount);
        Assert.Null(credentials.Opaque);
        Assert.True(credentials.TryGetAlgorithm(out var algorithm));
        Assert.Equal(DigestAlgorithm.Md5, algorithm);

        Assert.True(register.TryGetCredentials(HeaderId.Authorization, "example.com", out var viaMessage));
        Assert.Equal(credentials, viaMessage);
        Assert.False(register.TryGetCredentials(HeaderId.Authorization, "other.example", out _));
        Assert.False(register.TryGetCredentials(HeaderId.ProxyAuthorization, "example.com", out _));
    }

    [Fact]
    public void Scheme_and_parameter_names_are_case_insensitive_and_whitespace_is_free()
    {
        Assert.True(DigestCredentials.TryParse("  dIgEsT\tUSERNAME = \"a\" ,Realm=\"r\",  NONCE=\"n\", Uri=\"u\" , RESPONSE=\"x\", ALGORITHM=sha-256  ", out var credentials));
        Assert.Equal(new DigestCredentials("a", "r", "n", "u", "x") { Algorithm = "sha-256" }, credentials);
        Assert.True(credentials.TryGetAlgorithm(out var algorithm));
        Assert.Equal(DigestAlgorithm.Sha256, algorithm);
    }

    [Fact]
    public void Quoted_values_resolve_backslash_escapes_and_keep_commas()
    {
        Assert.True(DigestChallenge.TryParse("""Digest realm="Mr \"Q\" \\ co, ltd", nonce="n\,1", qop="auth , auth-int" """, out var challenge));
        Assert.Equal("Mr \"Q\" \\ co, ltd", challenge.Realm);
        Assert.Equal("n,1", challenge.Nonce);
        Assert.Equal(["auth", "auth-int"], challenge.QopOptions);
    }

    [Fact]
    public void An_absent_algorithm_means_md5_and_an_unknown_one_still_parses()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\"", out var plain));
        Assert.True(plain.TryGetAlgorithm(out var algorithm));
        Assert.Equal(DigestAlgorithm.Md5, algorithm);

        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", out var unknown));
        Assert.False(unknown.TryGetAlgorithm(out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Digest")]
    [InlineData("Digest ")]
    [InlineData("Basic realm=\"r\", nonce=\"n\"")]
    [InlineData("Digestrealm=\"r\", nonce=\"n\"")]
    [InlineData("Digest realm=\"r, nonce=\"n")]               // unterminated quote
    [InlineData("Digest realm=\"r\", nonce=\"n\\")]           // escape at the very end
    [InlineData("Digest realm \"r\", nonce=\"n\"")]           // missing '='
    [InlineData("Digest realm, nonce=\"n\"")]                 // missing '=' and value
    [InlineData("Digest realm=, nonce=\"n\"")]                // empty token value
    [InlineData("Digest realm=\"r\" nonce=\"n\"")]            // missing comma
    [InlineData("Digest realm=\"r\", nonce=\"n\",")]          // trailing comma
    [InlineData("Digest realm=\"r\", realm=\"s\", nonce=\"n\"")] // duplicate name
    [InlineData("Digest realm=\"r\", =\"x\", nonce=\"n\"")]   // empty name
    [InlineData("Digest realm=\"a\\\u0001\", nonce=\"n\"")]   // escaped control character
    [InlineData("Digest realm=\"a\rb\", nonce=\"n\"")]        // raw CR
    [InlineData("Digest realm=\"r\"")]                        // no nonce (required)
    [InlineData("Digest nonce=\"n\"")]                        // no realm (required)
    [InlineData("Digest realm=r@x, nonce=\"n\"")]             // '@' is not a token character
    public void Malformed_challenges_are_refused_without_exceptions(string text) =>
        Assert.False(DigestChallenge.TryParse(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x")]
    [InlineData("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri \"u\", response=\"x\"")]
    [InlineData("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"u\"")]            // no response
    [InlineData("Digest realm=\"r\", nonce=\"n\", uri=\"u\", response=\"x\"")]             // no username
    [InlineData("Digest username=\"a\", realm=\"r\", nonce=\"n\", response=\"x\"")]        // no uri
    public void Malformed_credentials_are_refused_without_exceptions(string text) =>
        Assert.False(DigestCredentials.TryParse(text, out _));

    [Fact]
    public void Every_truncation_of_a_credentials_value_is_handled_without_exceptions()
    {
        const string Full = "Digest username=\"bob\", realm=\"example.com\", nonce=\"abc\", uri=\"sip:example.com\", response=\"0123\", qop=auth, nc=00000001, cnonce=\"c\"";
        var parsed = 0;
        for (var length = 0; length <= Full.Length; length++)
        {
            parsed += DigestCredentials.TryParse(Full.AsSpan(0, length), out _) ? 1 : 0;
        }

        // Cuts that parse: right after response's closing quote, inside qop's value (4), inside nc's (8), and the whole value.
        Assert.Equal(1 + 4 + 8 + 1, parsed);
    }
}
