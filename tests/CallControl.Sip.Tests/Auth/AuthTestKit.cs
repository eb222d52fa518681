using CallControl.Sip.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Sip.Tests.Auth;

/// <summary>A registrar's digest parts (nonces, challenger, verifier) on one fake clock, plus one subscriber.</summary>
internal sealed class AuthTestKit
{
    public const string Realm = "example.com";
    public const string Username = "bob";
    public const string Password = "correct horse battery staple";
    public const string RequestUri = "sip:example.com";

    public static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    public static readonly byte[] OtherSecret = [.. Enumerable.Range(101, 32).Select(i => (byte)i)];

    public AuthTestKit(byte[]? secret = null, bool allowMd5 = true, FakeTimeProvider? time = null, string[]? algorithms = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Options = new DigestAuthOptions { NonceSecret = secret ?? Secret, AllowMd5 = allowMd5, Algorithms = algorithms };
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        Nonces = new NonceService(options, Time);
        Challenger = new DigestChallenger(Nonces, options);
        Verifier = new DigestVerifier(Nonces, options);
    }

    public FakeTimeProvider Time { get; }

    public DigestAuthOptions Options { get; }

    public NonceService Nonces { get; }

    public DigestChallenger Challenger { get; }

    public DigestVerifier Verifier { get; }

    /// <summary>The HA1 a subscriber store would hold for bob, for the hash of the given algorithm.</summary>
    public static string StoredHa1(DigestAlgorithm algorithm) => DigestCalculator.ComputeHa1(algorithm, Username, Realm, Password);

    /// <summary>What the server decides for these credentials, after they went over the wire and back.</summary>
    public DigestVerdict VerifyOnWire(DigestCredentials credentials, string method = "REGISTER")
    {
        Assert.True(DigestCredentials.TryParse(credentials.ToHeaderValue(), out var received));
        _ = received.TryGetAlgorithm(out var algorithm); // an unknown algorithm is Invalid whatever HA1 goes in
        return Verifier.Verify(method, received, Realm, StoredHa1(algorithm));
    }

    /// <summary>A client's answer to a challenge of ours for the given algorithm, with the given password.</summary>
    public DigestCredentials Answer(DigestAlgorithm algorithm, string password = Password, string method = "REGISTER")
    {
        var challenge = new DigestChallenge(Realm, Nonces.Issue(Realm)) { Algorithm = algorithm.Name(), QopOptions = ["auth"] };
        return DigestClient.Answer(challenge, Username, password, method, RequestUri);
    }

    public static IOptions<DigestAuthOptions> Wrap(DigestAuthOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}
