using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// Builds the challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate): one per algorithm offered, in the
/// operator's order (<see cref="DigestAuthOptions.Algorithms"/>; by default MD5 then SHA-256, since clients that
/// read only the first challenge exist; an invalid choice throws <see cref="OptionsValidationException"/>), each with qop="auth" and the same fresh nonce.
/// </summary>
public sealed class DigestChallenger(NonceService nonces, IOptions<DigestAuthOptions> options)
{
    private readonly IReadOnlyList<DigestAlgorithm> _offered = DigestAlgorithmChoice.From(options.Value).Offered;

    /// <summary>The challenges for a realm; <paramref name="stale"/> after a <see cref="DigestVerdict.Stale"/> verdict.</summary>
    public IReadOnlyList<DigestChallenge> CreateChallenges(string realm, bool stale = false)
    {
        // One nonce serves every algorithm: the client answers just one, and the nonce does not depend on it.
        var challenge = new DigestChallenge(realm, nonces.Issue(realm)) { QopOptions = [DigestCalculator.QopAuth], Stale = stale };
        return [.. _offered.Select(algorithm => challenge with { Algorithm = algorithm.Name() })];
    }

    /// <summary>The header values, in order: add each as its own WWW-Authenticate / Proxy-Authenticate line.</summary>
    public IReadOnlyList<string> CreateHeaderValues(string realm, bool stale = false) =>
        [.. CreateChallenges(realm, stale).Select(challenge => challenge.ToHeaderValue())];
}
