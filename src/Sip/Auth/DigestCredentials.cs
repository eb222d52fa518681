using System.Diagnostics.CodeAnalysis;

namespace CallControl.Sip.Auth;

/// <summary>
/// Digest credentials: the value of an Authorization or Proxy-Authorization header (RFC 3261 §20.7, §20.28;
/// RFC 7616 §3.4). The five constructor values are required for the value to parse; whether the optional
/// ones fit together (qop with cnonce and nc) is for <see cref="DigestVerifier"/> to judge.
/// </summary>
/// <param name="Username">The user name (RFC 8760 §2.1 leaves userhash out of SIP; so do we).</param>
/// <param name="Realm">The realm of the challenge being answered.</param>
/// <param name="Nonce">The nonce of that challenge.</param>
/// <param name="Uri">The digest-uri: the Request-URI the client signed.</param>
/// <param name="Response">The request-digest, lower-case hex.</param>
public sealed record DigestCredentials(string Username, string Realm, string Nonce, string Uri, string Response)
{
    /// <summary>The algorithm token as given; null when absent, which means MD5.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The client nonce (required with qop and with the -sess algorithms).</summary>
    public string? Cnonce { get; init; }

    /// <summary>The chosen qop ("auth"); null for RFC 2069-style credentials.</summary>
    public string? Qop { get; init; }

    /// <summary>The nonce count "nc": 8 hex digits, exactly as sent (it is hashed as text).</summary>
    public string? NonceCount { get; init; }

    /// <summary>The challenge's opaque value, echoed.</summary>
    public string? Opaque { get; init; }

    /// <summary>The algorithm, when it is one we compute (absent means MD5).</summary>
    public bool TryGetAlgorithm(out DigestAlgorithm algorithm) => DigestAlgorithms.TryParse(Algorithm, out algorithm);

    /// <summary>Parses a credentials value; false (never an exception) when it is not well-formed Digest credentials.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [MaybeNullWhen(false)] out DigestCredentials credentials)
    {
        credentials = null;
        if (!AuthParamReader.TryRead(text, out var p)
            || p["username"] is not { } username || p["realm"] is not { } realm || p["nonce"] is not { } nonce
            || p["uri"] is not { } uri || p["response"] is not { } response)
        {
            return false;
        }

        credentials = new DigestCredentials(username, realm, nonce, uri, response)
        {
            Algorithm = p["algorithm"],
            Cnonce = p["cnonce"],
            Qop = p["qop"],
            NonceCount = p["nc"],
            Opaque = p["opaque"],
        };
        return true;
    }

    /// <summary>The header value, e.g. <c>Digest username="bob", realm="example.com", ..., qop=auth, nc=00000001</c>.</summary>
    /// <exception cref="ArgumentException">A value holds a control character.</exception>
    public string ToHeaderValue() => new AuthParamWriter()
        .Quoted("username", Username)
        .Quoted("realm", Realm)
        .Quoted("nonce", Nonce)
        .Quoted("uri", Uri)
        .Quoted("response", Response)
        .Token("algorithm", Algorithm)
        .Quoted("cnonce", Cnonce)
        .Quoted("opaque", Opaque)
        .Token("qop", Qop)
        .Token("nc", NonceCount)
        .ToString();
}
