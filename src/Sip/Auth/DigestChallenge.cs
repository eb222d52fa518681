using System.Diagnostics.CodeAnalysis;

namespace CallControl.Sip.Auth;

/// <summary>
/// One Digest challenge: the value of a WWW-Authenticate (401) or Proxy-Authenticate (407) header
/// (RFC 3261 §20.44, §20.27; RFC 7616 §3.3). Parameters we do not use (domain, charset) are dropped.
/// </summary>
/// <param name="Realm">The protection space, e.g. the SIP domain; shown to users and part of HA1.</param>
/// <param name="Nonce">The server's nonce.</param>
public sealed record DigestChallenge(string Realm, string Nonce)
{
    /// <summary>Opaque data the client must echo; null when absent (our own nonces need none).</summary>
    public string? Opaque { get; init; }

    /// <summary>The algorithm token as given ("SHA-256", "MD5", ...); null when absent, which means MD5.</summary>
    public string? Algorithm { get; init; }

    /// <summary>The qop options offered, e.g. ["auth"]; empty when the challenge has no qop (RFC 2069 style).</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    /// <summary>True when the previous request was refused only because its nonce had expired.</summary>
    public bool Stale { get; init; }

    /// <summary>True when the server accepts a hashed username (RFC 7616 §3.4.4); read and written, not computed.</summary>
    public bool Userhash { get; init; }

    /// <summary>True when "auth" is among the qop options.</summary>
    public bool OffersQopAuth => QopOptions.Any(q => string.Equals(q, DigestCalculator.QopAuth, StringComparison.OrdinalIgnoreCase));

    /// <summary>The algorithm, when it is one we compute (absent means MD5).</summary>
    public bool TryGetAlgorithm(out DigestAlgorithm algorithm) => DigestAlgorithms.TryParse(Algorithm, out algorithm);

    /// <summary>Parses a challenge value; false (never an exception) when it is not a well-formed Digest challenge.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [MaybeNullWhen(false)] out DigestChallenge challenge)
    {
        challenge = null;
        if (!AuthParamReader.TryRead(text, out var parameters) || parameters["realm"] is not { } realm || parameters["nonce"] is not { } nonce)
        {
            return false; // realm and nonce are required (RFC 7616 §3.3)
        }

        challenge = new DigestChallenge(realm, nonce)
        {
            Opaque = parameters["opaque"],
            Algorithm = parameters["algorithm"],
            QopOptions = parameters["qop"] is { } qop ? SplitQopOptions(qop) : [],
            Stale = IsTrue(parameters["stale"]),
            Userhash = IsTrue(parameters["userhash"]),
        };
        return true;
    }

    /// <summary>The header value, e.g. <c>Digest realm="example.com", qop="auth", algorithm=SHA-256, nonce="..."</c>.</summary>
    /// <exception cref="ArgumentException">A value holds a control character.</exception>
    public string ToHeaderValue() => new AuthParamWriter()
        .Quoted("realm", Realm)
        .Quoted("qop", QopOptions.Count == 0 ? null : string.Join(',', QopOptions))
        .Token("algorithm", Algorithm)
        .Quoted("nonce", Nonce)
        .Quoted("opaque", Opaque)
        .Token("stale", Stale ? "true" : null)
        .Token("userhash", Userhash ? "true" : null)
        .ToString();

    // stale and userhash are "true" / "false", case-insensitive (RFC 7616 §3.3); anything else counts as false.
    private static bool IsTrue(string? flag) => string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase);

    // qop-options = "qop=" DQUOTE qop-value *("," qop-value) DQUOTE, with optional whitespace around the commas.
    private static List<string> SplitQopOptions(string value)
    {
        var options = new List<string>();
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var option = (comma < 0 ? rest : rest[..comma]).Trim();
            if (!option.IsEmpty)
            {
                options.Add(option.ToString());
            }

            rest = comma < 0 ? default : rest[(comma + 1)..];
        }

        return options;
    }
}
