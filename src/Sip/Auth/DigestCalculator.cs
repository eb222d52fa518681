namespace CallControl.Sip.Auth;

/// <summary>
/// The digest arithmetic of RFC 7616 §3.4.1–3.4.3 (RFC 3261 §22.4 with "SIP/2.0"): HA1, the session HA1 of
/// the -sess algorithms, and the request-digest a client sends and a server recomputes.
/// </summary>
public static class DigestCalculator
{
    /// <summary>The only qop we compute: auth-int would need a hash of the body, which no SIP device we serve uses.</summary>
    public const string QopAuth = "auth";

    /// <summary>
    /// H(username:realm:password): what a subscriber store keeps instead of the password. The -sess variants
    /// store the same value (made with their hash function); the nonce-dependent part is added per request.
    /// </summary>
    public static string ComputeHa1(DigestAlgorithm algorithm, string username, string realm, string password) =>
        DigestHash.Hex(algorithm, username, realm, password);

    /// <summary>H(HA1:nonce:cnonce): the HA1 a -sess algorithm uses for one nonce/cnonce pair (RFC 7616 §3.4.2).</summary>
    public static string ComputeSessionHa1(DigestAlgorithm algorithm, string ha1, string nonce, string cnonce) =>
        DigestHash.Hex(algorithm, Lower(ha1), nonce, cnonce);

    /// <summary>
    /// The request-digest. With qop (always "auth" here): H(HA1:nonce:nc:cnonce:qop:HA2); without, the RFC 2069
    /// form H(HA1:nonce:HA2). HA2 = H(method:digest-uri). <paramref name="storedHa1"/> is the value from
    /// <see cref="ComputeHa1"/>; for -sess algorithms the session HA1 is derived here.
    /// </summary>
    /// <exception cref="ArgumentException">qop is not "auth", or nc/cnonce are missing where they are needed.</exception>
    public static string ComputeResponse(
        DigestAlgorithm algorithm, string storedHa1, string method, string digestUri, string nonce,
        string? qop = null, string? nonceCount = null, string? cnonce = null)
    {
        if (qop is not null && !string.Equals(qop, QopAuth, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Only qop=auth is supported, not '{qop}'.", nameof(qop));
        }

        if ((qop is not null || algorithm.IsSession()) && cnonce is null)
        {
            throw new ArgumentException("A cnonce is needed with qop and with the -sess algorithms.", nameof(cnonce));
        }

        if (qop is not null && nonceCount is null)
        {
            throw new ArgumentException("A nonce count (nc) is needed with qop.", nameof(nonceCount));
        }

        var ha1 = algorithm.IsSession() ? ComputeSessionHa1(algorithm, storedHa1, nonce, cnonce!) : Lower(storedHa1);
        var ha2 = DigestHash.Hex(algorithm, method, digestUri);
        return qop is null
            ? DigestHash.Hex(algorithm, ha1, nonce, ha2)
            : DigestHash.Hex(algorithm, ha1, nonce, nonceCount!, cnonce!, qop, ha2);
    }

    /// <summary>The response for received (or about to be sent) credentials, from the stored HA1.</summary>
    public static string ComputeResponse(DigestAlgorithm algorithm, string storedHa1, string method, DigestCredentials credentials) =>
        ComputeResponse(algorithm, storedHa1, method, credentials.Uri, credentials.Nonce, credentials.Qop, credentials.NonceCount, credentials.Cnonce);

    // HA1 enters the next hash as lower-case hex (RFC 7616 §3.4.1); a store may have kept it in upper case.
    private static string Lower(string hex) => hex.AsSpan().ContainsAnyInRange('A', 'F') ? hex.ToLowerInvariant() : hex;
}
