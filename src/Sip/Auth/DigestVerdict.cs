namespace CallControl.Sip.Auth;

/// <summary>What <see cref="DigestVerifier.Verify"/> decided, and what the server does next.</summary>
public enum DigestVerdict : byte
{
    /// <summary>Authenticated: process the request.</summary>
    Ok,

    /// <summary>The right password with an expired nonce: challenge again with stale=true (RFC 7616 §3.3), no re-prompt.</summary>
    Stale,

    /// <summary>A response that does not match: wrong password (or wrong HA1). Challenge again, or 403 after repeats.</summary>
    Wrong,

    /// <summary>
    /// Not acceptable credentials for us: wrong realm, an unsupported or disabled algorithm, missing fields, a qop
    /// we did not offer, or a nonce we did not issue. Challenge afresh.
    /// </summary>
    Invalid,
}
