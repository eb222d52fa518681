using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace CallControl.Sip.Auth;

/// <summary>
/// The client side of Digest, for when we authenticate ourselves (e.g. towards a trunk): pick a challenge and
/// answer it with credentials for an Authorization / Proxy-Authorization header.
/// </summary>
public static class DigestClient
{
    /// <summary>
    /// The first challenge we can answer: servers list them in preference order (RFC 8760 §2.4). Answerable means
    /// a known algorithm and either qop "auth" or no qop at all (not for -sess, whose HA1 needs a cnonce).
    /// </summary>
    public static bool TryChoose(IEnumerable<DigestChallenge> challenges, [MaybeNullWhen(false)] out DigestChallenge chosen)
    {
        chosen = challenges.FirstOrDefault(IsAnswerable);
        return chosen is not null;
    }

    /// <summary>Answers a challenge. <paramref name="cnonce"/> defaults to a fresh random one.</summary>
    /// <exception cref="ArgumentException">The challenge is not one <see cref="TryChoose"/> would pick.</exception>
    public static DigestCredentials Answer(
        DigestChallenge challenge, string username, string password, string method, string digestUri,
        string? cnonce = null, int nonceCount = 1)
    {
        var algorithm = AlgorithmOf(challenge);
        return AnswerWithHa1(challenge, username, DigestCalculator.ComputeHa1(algorithm, username, challenge.Realm, password), method, digestUri, cnonce, nonceCount);
    }

    /// <summary>
    /// Answers a challenge from a stored HA1 (H(username:realm:password)) rather than the password: what an operator
    /// configures when the password itself must not be kept. The HA1 must be of the challenge's hash function
    /// (<see cref="DigestAlgorithms.HexLength"/>) and realm, which only the caller can know.
    /// </summary>
    /// <exception cref="ArgumentException">The challenge is not one <see cref="TryChoose"/> would pick.</exception>
    public static DigestCredentials AnswerWithHa1(
        DigestChallenge challenge, string username, string ha1, string method, string digestUri,
        string? cnonce = null, int nonceCount = 1)
    {
        var algorithm = AlgorithmOf(challenge);
        var useQop = challenge.OffersQopAuth;
        var credentials = new DigestCredentials(username, challenge.Realm, challenge.Nonce, digestUri, "")
        {
            Algorithm = challenge.Algorithm,
            Cnonce = useQop ? cnonce ?? NewCnonce() : null,
            Qop = useQop ? DigestCalculator.QopAuth : null,
            NonceCount = useQop ? nonceCount.ToString("x8", CultureInfo.InvariantCulture) : null,
            Opaque = challenge.Opaque,
        };
        return credentials with { Response = DigestCalculator.ComputeResponse(algorithm, ha1, method, credentials) };
    }

    /// <summary>A random client nonce: 16 bytes, base64url.</summary>
    public static string NewCnonce()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    private static DigestAlgorithm AlgorithmOf(DigestChallenge challenge)
        => IsAnswerable(challenge) && challenge.TryGetAlgorithm(out var algorithm)
            ? algorithm
            : throw new ArgumentException($"Cannot answer a challenge with algorithm '{challenge.Algorithm}' and qop '{string.Join(',', challenge.QopOptions)}'.", nameof(challenge));

    private static bool IsAnswerable(DigestChallenge challenge) =>
        challenge.TryGetAlgorithm(out var algorithm)
        && (challenge.OffersQopAuth || (challenge.QopOptions.Count == 0 && !algorithm.IsSession()));
}
