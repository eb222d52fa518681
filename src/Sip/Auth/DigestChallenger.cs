using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// Builds the challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate): one per algorithm we accept,
/// SHA-256 first and MD5 last, as RFC 8760 §2.4 recommends, each with qop="auth" and the same fresh nonce.
/// </summary>
public sealed class DigestChallenger(NonceService nonces, IOptions<DigestAuthOptions> options)
{
    private readonly bool _allowMd5 = options.Value.AllowMd5;

    /// <summary>The challenges for a realm; <paramref name="stale"/> after a <see cref="DigestVerdict.Stale"/> verdict.</summary>
    public IReadOnlyList<DigestChallenge> CreateChallenges(string realm, bool stale = false)
    {
        // One nonce serves every algorithm: the client answers just one, and the nonce does not depend on it.
        var sha256 = new DigestChallenge(realm, nonces.Issue(realm))
        {
            Algorithm = DigestAlgorithm.Sha256.Name(),
            QopOptions = [DigestCalculator.QopAuth],
            Stale = stale,
        };
        return _allowMd5 ? [sha256, sha256 with { Algorithm = DigestAlgorithm.Md5.Name() }] : [sha256];
    }

    /// <summary>The header values, in order: add each as its own WWW-Authenticate / Proxy-Authenticate line.</summary>
    public IReadOnlyList<string> CreateHeaderValues(string realm, bool stale = false) =>
        [.. CreateChallenges(realm, stale).Select(challenge => challenge.ToHeaderValue())];
}
