using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// The server side of Digest (RFC 3261 §22.4, RFC 7616 §3.4–3.5): checks credentials against a stored HA1 and a
/// nonce from <see cref="NonceService"/>. Works on HA1 only; passwords never reach the server. Accepts only the
/// algorithms offered (<see cref="DigestAlgorithmChoice"/>), each with its -sess variant.
/// </summary>
/// <remarks>
/// Not checked here: nonce-count replay within a nonce's lifetime (that needs per-nonce state shared by every
/// edge, which our stateless nonces exist to avoid; the lifetime bounds the window), and whether the digest-uri
/// matches the Request-URI (SIP URI equivalence belongs to the caller, who has the request).
/// </remarks>
public sealed class DigestVerifier(NonceService nonces, IOptions<DigestAuthOptions> options)
{
    private const int MaximumHexLength = 64;
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private readonly DigestAlgorithmChoice _algorithms = DigestAlgorithmChoice.From(options.Value);

    /// <summary>Verifies credentials sent with a request.</summary>
    /// <param name="method">The request method (for SIP, the Request-Line method, e.g. "REGISTER").</param>
    /// <param name="credentials">The parsed Authorization / Proxy-Authorization value.</param>
    /// <param name="realm">Our realm: credentials for any other realm are <see cref="DigestVerdict.Invalid"/>.</param>
    /// <param name="storedHa1">
    /// H(username:realm:password) in hex for <paramref name="credentials"/>' username and realm, made with the
    /// hash of its algorithm (see <see cref="DigestAlgorithms.UsesMd5"/>); an HA1 of the other hash gives Wrong.
    /// </param>
    public DigestVerdict Verify(string method, DigestCredentials credentials, string realm, string storedHa1)
    {
        if (!IsAcceptable(credentials, realm, out var algorithm))
        {
            return DigestVerdict.Invalid;
        }

        var nonce = nonces.Validate(credentials.Nonce, realm);
        if (nonce == NonceValidity.Invalid)
        {
            return DigestVerdict.Invalid;
        }

        var expected = DigestCalculator.ComputeResponse(algorithm, storedHa1, method, credentials);
        if (!HexEquals(expected, credentials.Response))
        {
            return DigestVerdict.Wrong;
        }

        // Only a correct response earns stale=true, which tells the client its password is right (RFC 7616 §3.3).
        return nonce == NonceValidity.Stale ? DigestVerdict.Stale : DigestVerdict.Ok;
    }

    private bool IsAcceptable(DigestCredentials credentials, string realm, out DigestAlgorithm algorithm)
    {
        if (!credentials.TryGetAlgorithm(out algorithm) || !_algorithms.Accepts(algorithm))
        {
            return false;
        }

        if (credentials.Username.Length == 0 || credentials.Uri.Length == 0 || !string.Equals(credentials.Realm, realm, StringComparison.Ordinal))
        {
            return false; // realms compare case-sensitively (RFC 7616 §3.3)
        }

        if (credentials.Qop is null)
        {
            // RFC 2069 form, which RFC 3261 §22.4 requires servers to accept; the -sess HA1 needs a cnonce.
            return !algorithm.IsSession();
        }

        // We offer only qop="auth"; nc is 8LHEX (RFC 7616 §3.4), though we accept upper case.
        return string.Equals(credentials.Qop, DigestCalculator.QopAuth, StringComparison.OrdinalIgnoreCase)
            && !string.IsNullOrEmpty(credentials.Cnonce)
            && credentials.NonceCount is { Length: 8 } nc && !nc.AsSpan().ContainsAnyExcept(HexDigits);
    }

    // Constant-time over the digits; the lengths are public (fixed by the algorithm). Upper-case hex is tolerated.
    private static bool HexEquals(string expected, string received)
    {
        if (received.Length != expected.Length || received.Length > MaximumHexLength)
        {
            return false;
        }

        Span<char> lowered = stackalloc char[received.Length];
        if (Ascii.ToLower(received, lowered, out _) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes((ReadOnlySpan<char>)lowered));
    }
}
