using CallControl.Grains;
using CallControl.Sip.Auth;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Tests.Security;

/// <summary>
/// The check an edge asks for before it routes an untrusted caller's INVITE: alice's credentials (the fixture's
/// subscriber store) against nonces an edge issued with the cluster's nonce secret; a wrong password and an unknown user
/// look the same; what cannot be checked is Invalid; right credentials on an expired nonce are Stale.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SubscriberAuthenticatorTests(ClusterFixture cluster)
{
    private const string Realm = "example.com";
    private const string Uri = "sip:bob@example.com";

    // The silo's nonce settings (ClusterFixture): what every edge of the cluster issues nonces with.
    private static readonly IOptions<DigestAuthOptions> Nonces = Options.Create(new DigestAuthOptions { NonceSecret = new byte[32] });

    private ISubscriberAuthenticator Authenticator => cluster.Grains.GetGrain<ISubscriberAuthenticator>(0);

    [Theory]
    [InlineData("SHA-256", "alice", TestSubscribers.Password, CallerVerdict.Ok)]
    [InlineData("MD5", "alice", TestSubscribers.Password, CallerVerdict.Ok)]
    [InlineData("SHA-256", "alice", "not-the-password", CallerVerdict.Wrong)]
    [InlineData("MD5", "alice", "not-the-password", CallerVerdict.Wrong)]
    [InlineData("SHA-256", "mallory", TestSubscribers.Password, CallerVerdict.Wrong)] // no such subscriber: as a wrong password
    [InlineData("MD5", "mallory", TestSubscribers.Password, CallerVerdict.Wrong)]
    public async Task The_right_password_is_Ok_and_a_wrong_one_or_an_unknown_user_is_Wrong(string algorithm, string user, string password, CallerVerdict verdict)
        => Assert.Equal(verdict, await AuthenticateAsync(Answer(algorithm, user, password)));

    [Theory]
    [InlineData("")]
    [InlineData("Basic YWxpY2U6d29uZGVybGFuZA==")]
    [InlineData("Digest username=\"alice\"")]
    [InlineData("garbage")]
    public async Task Credentials_that_do_not_parse_are_Invalid(string credentials)
        => Assert.Equal(CallerVerdict.Invalid, await Authenticator.Authenticate(new CallerAttempt("INVITE", credentials, Realm)));

    [Fact]
    public async Task Credentials_for_another_realm_than_the_challenged_one_are_Invalid()
    {
        var credentials = Answer("SHA-256", "alice", TestSubscribers.Password, realm: "other.example");

        Assert.Equal(CallerVerdict.Invalid, await AuthenticateAsync(credentials));
    }

    [Fact]
    public async Task A_nonce_this_cluster_did_not_issue_is_Invalid()
    {
        var forged = Answer("SHA-256", "alice", TestSubscribers.Password, nonces: new NonceService(Options.Create(new DigestAuthOptions { NonceSecret = [.. Enumerable.Repeat((byte)7, 32)] }), TimeProvider.System));

        Assert.Equal(CallerVerdict.Invalid, await AuthenticateAsync(forged));
    }

    [Fact]
    public async Task An_algorithm_we_do_not_offer_is_Invalid()
    {
        var credentials = Answer("SHA-256", "alice", TestSubscribers.Password) with { Algorithm = "SHA-512-256" };

        Assert.Equal(CallerVerdict.Invalid, await AuthenticateAsync(credentials));
    }

    [Fact]
    public async Task The_right_password_on_an_expired_nonce_is_Stale_and_a_wrong_one_is_still_Wrong()
    {
        var expired = new NonceService(Nonces, new Past(TimeSpan.FromMinutes(10)));

        Assert.Equal(CallerVerdict.Stale, await AuthenticateAsync(Answer("SHA-256", "alice", TestSubscribers.Password, nonces: expired)));
        Assert.Equal(CallerVerdict.Wrong, await AuthenticateAsync(Answer("SHA-256", "alice", "not-the-password", nonces: expired)));
        Assert.Equal(CallerVerdict.Wrong, await AuthenticateAsync(Answer("SHA-256", "mallory", TestSubscribers.Password, nonces: expired))); // names stay secret
    }

    [Fact]
    public async Task Credentials_for_another_method_are_Wrong()
    {
        var forMessage = Answer("SHA-256", "alice", TestSubscribers.Password, method: "MESSAGE");

        Assert.Equal(CallerVerdict.Wrong, await AuthenticateAsync(forMessage));
    }

    private Task<CallerVerdict> AuthenticateAsync(DigestCredentials credentials)
        => Authenticator.Authenticate(new CallerAttempt("INVITE", credentials.ToHeaderValue(), Realm));

    // A caller's answer to an edge's 407 for the algorithm, in the given realm, with a nonce from the given issuer.
    private static DigestCredentials Answer(string algorithm, string user, string password, string realm = Realm, NonceService? nonces = null, string method = "INVITE")
    {
        var issuer = nonces ?? new NonceService(Nonces, TimeProvider.System);
        var challenge = new DigestChallenge(realm, issuer.Issue(realm)) { Algorithm = algorithm, QopOptions = [DigestCalculator.QopAuth] };
        return DigestClient.Answer(challenge, user, password, method, Uri);
    }

    // The wall clock some time ago: an edge that issued a nonce that long ago.
    private sealed class Past(TimeSpan ago) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() - ago;
    }
}
