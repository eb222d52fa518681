using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// Digest authentication settings, bound from configuration section <c>CallControl:Sip:Auth</c>.
/// Every edge of a cluster must share <see cref="NonceSecret"/> so that any edge verifies any nonce.
/// </summary>
public sealed class DigestAuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Sip:Auth";

    /// <summary>The smallest secret we accept: the HMAC-SHA256 output length, as RFC 2104 §3 recommends.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>The HMAC-SHA256 key that signs nonces (base64 in configuration). No default: it must be configured.</summary>
    public byte[] NonceSecret { get; set; } = [];

    /// <summary>
    /// Keys that signed nonces before <see cref="NonceSecret"/> replaced them (base64 each): nonces they signed are
    /// still accepted, none is issued with them, so clients need not re-authenticate during a secret rotation.
    /// </summary>
    public IList<byte[]> PreviousNonceSecrets { get; init; } = [];

    /// <summary>
    /// How long a nonce stays valid; default 5 minutes. RFC 7616 §5.4 leaves the lifetime to the server; since
    /// nonce counts are not tracked, this is also the window in which a captured request could be replayed.
    /// </summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead of our clock another edge's clock may be when it issues a nonce; default 5 s.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Offer and accept MD5; default true because many deployed SIP phones know nothing else. False removes MD5 from
    /// what is offered and accepted, whatever <see cref="Algorithms"/> says by default (naming MD5 there as well is an
    /// error). Subscribers need an HA1 stored for each hash that is accepted.
    /// </summary>
    public bool AllowMd5 { get; set; } = true;

    /// <summary>
    /// The algorithms offered in a challenge, in this order, and the only ones accepted (each with its -sess
    /// variant): "MD5" and "SHA-256", case-insensitive. Not configured (null): MD5 then SHA-256
    /// (<see cref="DigestAlgorithmChoice.Default"/>), or SHA-256 alone when <see cref="AllowMd5"/> is false.
    /// </summary>
    /// <remarks>
    /// Null rather than a filled-in default because the configuration binder writes items into an existing list by
    /// index: a default list of two would make <c>Algorithms:0=SHA-256</c> mean "SHA-256, SHA-256", not SHA-256 alone.
    /// </remarks>
    public IList<string>? Algorithms { get; set; }
}

/// <summary>Rejects settings that would make nonces forgeable or useless, naming the key.</summary>
public sealed class DigestAuthOptionsValidator : IValidateOptions<DigestAuthOptions>
{
    private static readonly TimeSpan MaximumLifetime = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DigestAuthOptions options)
    {
        var failures = new List<string>();
        if (options.NonceSecret is null || options.NonceSecret.Length < DigestAuthOptions.MinimumSecretLength)
        {
            failures.Add($"{DigestAuthOptions.Section}:NonceSecret must be at least {DigestAuthOptions.MinimumSecretLength} bytes (base64); got {options.NonceSecret?.Length ?? 0}.");
        }

        for (var i = 0; i < options.PreviousNonceSecrets.Count; i++)
        {
            if (options.PreviousNonceSecrets[i] is not { Length: >= DigestAuthOptions.MinimumSecretLength })
            {
                failures.Add($"{DigestAuthOptions.Section}:PreviousNonceSecrets:{i} must be at least {DigestAuthOptions.MinimumSecretLength} bytes (base64); got {options.PreviousNonceSecrets[i]?.Length ?? 0}.");
            }
        }

        if (options.NonceLifetime <= TimeSpan.Zero || options.NonceLifetime > MaximumLifetime)
        {
            failures.Add($"{DigestAuthOptions.Section}:NonceLifetime must be between 0 and {MaximumLifetime} (default 5 minutes); got {options.NonceLifetime}.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew >= options.NonceLifetime)
        {
            failures.Add($"{DigestAuthOptions.Section}:ClockSkew must be at least 0 and less than NonceLifetime; got {options.ClockSkew}.");
        }

        _ = DigestAlgorithmChoice.Resolve(options, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
