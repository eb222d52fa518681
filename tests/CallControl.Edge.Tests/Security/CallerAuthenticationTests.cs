using CallControl.Edge.Security;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;
using CallControl.Sip.Tests.Messages;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// Who must authenticate and in which realm, the 407 an untrusted caller gets (whose challenge a client can answer and
/// the cluster can verify), and the identity asserted for a caller who proved to be a subscriber.
/// </summary>
public sealed class CallerAuthenticationTests : IDisposable
{
    private readonly GuardHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Theory]
    [InlineData("INVITE", null, true)]
    [InlineData("MESSAGE", null, true)]
    [InlineData("SUBSCRIBE", null, true)]
    [InlineData("REFER", null, true)]
    [InlineData("INVITE", "b1", false)]
    [InlineData("REFER", "b1", false)]
    [InlineData("REGISTER", null, false)]
    [InlineData("OPTIONS", null, false)]
    [InlineData("CANCEL", null, false)]
    [InlineData("BYE", null, false)]
    [InlineData("NOTIFY", null, false)]
    [InlineData("PUBLISH", null, false)]
    public void Only_out_of_dialog_requests_that_would_be_routed_must_authenticate(string method, string? toTag, bool applies)
        => Assert.Equal(applies, CallerAuthentication.Applies(TestMessages.Parse(_h.Request(method, toTag))));

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM", "example.com")]
    [InlineData("192.0.2.7", "192.0.2.7")]
    public void Without_a_configured_realm_the_realm_is_the_From_host_in_lower_case(string fromHost, string realm)
        => Assert.Equal(realm, Callers(realm: null).RealmOf(TestMessages.Parse(_h.Request("INVITE", fromHost: fromHost))));

    [Fact]
    public void A_configured_realm_is_the_realm_whatever_the_From_host()
        => Assert.Equal("calls.example.net", Callers("calls.example.net").RealmOf(TestMessages.Parse(_h.Request("INVITE", fromHost: "example.com"))));

    [Fact]
    public void The_challenge_is_a_407_a_client_can_answer_and_the_cluster_can_verify()
    {
        var request = TestMessages.Parse(_h.Request("INVITE"));

        var response = SipParser.ParseTrusted(Callers(realm: null).Challenge(request));

        Assert.Equal(407, response.StatusCode);
        Assert.Equal("Proxy Authentication Required", response.ReasonPhrase);
        Assert.Equal(request.CallId, response.CallId);
        var challenges = response.GetChallenges(HeaderId.ProxyAuthenticate);
        Assert.Equal(2, challenges.Count);
        Assert.All(challenges, c => Assert.False(c.Stale));
        foreach (var challenge in challenges)
        {
            var credentials = DigestClient.Answer(challenge, "alice", "wonderland", "INVITE", "sip:bob@example.com");
            Assert.True(challenge.TryGetAlgorithm(out var algorithm));
            var ha1 = DigestCalculator.ComputeHa1(algorithm, "alice", "example.com", "wonderland");
            Assert.Equal(DigestVerdict.Ok, _h.Verifier.Verify("INVITE", credentials, "example.com", ha1));
            Assert.Equal(DigestVerdict.Wrong, _h.Verifier.Verify("INVITE", credentials, "example.com", DigestCalculator.ComputeHa1(algorithm, "alice", "example.com", "guess")));
        }
    }

    [Fact]
    public void A_challenge_after_an_expired_nonce_says_stale()
    {
        var response = SipParser.ParseTrusted(Callers(realm: null).Challenge(TestMessages.Parse(_h.Request("INVITE")), stale: true));

        Assert.All(response.GetChallenges(HeaderId.ProxyAuthenticate), c => Assert.True(c.Stale));
    }

    [Fact]
    public void Credentials_are_found_for_the_realm_only()
    {
        var callers = Callers(realm: null);
        var credentials = $"Digest username=\"alice\", realm=\"example.com\", nonce=\"{_h.Nonces.Issue("example.com")}\", uri=\"sip:bob@example.com\", response=\"0123456789abcdef0123456789abcdef\"";

        Assert.True(callers.TryGetCredentials(TestMessages.Parse(_h.Request("INVITE", headers: $"Proxy-Authorization: {credentials}")), out var found));
        Assert.Equal("alice", found.Username);
        Assert.False(callers.TryGetCredentials(TestMessages.Parse(_h.Request("INVITE", fromHost: "other.example", headers: $"Proxy-Authorization: {credentials}")), out _));
        Assert.False(callers.TryGetCredentials(TestMessages.Parse(_h.Request("INVITE", headers: $"Authorization: {credentials}")), out _)); // a UAS's header, not a proxy's
        Assert.False(callers.TryGetCredentials(TestMessages.Parse(_h.Request("INVITE")), out _));
    }

    [Fact]
    public void The_asserted_identity_is_the_subscriber_the_caller_proved_to_be()
        => Assert.Equal(
            "sip:alice@example.com",
            CallerAuthentication.AssertedIdentity(new DigestCredentials("alice", "example.com", "n", "sip:bob@example.com", "r")));

    private CallerAuthentication Callers(string? realm)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new DigestAuthOptions { NonceSecret = GuardHarness.NonceSecret });
        return new CallerAuthentication(new DigestChallenger(_h.Nonces, options), realm);
    }
}
