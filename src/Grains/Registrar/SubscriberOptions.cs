using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Registrar;

/// <summary>
/// Subscribers from configuration (<c>CallControl:Subscribers:N:Username</c>, <c>Realm</c>, and <c>Password</c> or
/// <c>Ha1</c>): the subscriber store of a node without PostgreSQL (the embedded default), so it can register phones
/// and authenticate callers. With PostgreSQL the table <c>subscriber</c> is the store and these are not read.
/// </summary>
public sealed class SubscriberEntry
{
    /// <summary>The configuration section: a list.</summary>
    public const string Section = "CallControl:Subscribers";

    /// <summary>The user part of the address of record and the digest username (no ':', '@' or blanks).</summary>
    public string? Username { get; set; }

    /// <summary>The realm: the domain of the address of record (lower-cased).</summary>
    public string? Realm { get; set; }

    /// <summary>The password: both HA1s (MD5 and SHA-256) are made from it at start, and it is not kept.</summary>
    public string? Password { get; set; }

    /// <summary>Instead of a password: H(username:realm:password) with MD5, in hex (Kamailio's <c>ha1</c>).</summary>
    public string? Ha1 { get; set; }

    /// <summary>With <see cref="Ha1"/>: the same with SHA-256, in hex; without it, such a subscriber authenticates with MD5 only.</summary>
    public string? Ha1Sha256 { get; set; }

    /// <summary>
    /// The entries of <paramref name="section"/>, in order. Read key by key rather than by the configuration binder,
    /// which lists the children of every entry anew (a scan of every key of the configuration per entry): with
    /// 10,000 subscribers in the environment that took the node minutes; this is one scan.
    /// </summary>
    public static IEnumerable<SubscriberEntry> Read(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.GetChildren().Select(entry => new SubscriberEntry
        {
            Username = entry[nameof(Username)],
            Realm = entry[nameof(Realm)],
            Password = entry[nameof(Password)],
            Ha1 = entry[nameof(Ha1)],
            Ha1Sha256 = entry[nameof(Ha1Sha256)],
        });
    }
}

/// <summary>Rejects a subscriber list that cannot work, naming the key and index.</summary>
public sealed class SubscriberListValidator : IValidateOptions<List<SubscriberEntry>>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, List<SubscriberEntry> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < options.Count; i++)
        {
            var entry = options[i];
            var key = $"{SubscriberEntry.Section}:{i.ToString(CultureInfo.InvariantCulture)}";
            if (string.IsNullOrWhiteSpace(entry.Username) || entry.Username.AsSpan().ContainsAny(":@ \t"))
            {
                failures.Add($"{key}:Username is required, without ':', '@' or blanks; got '{entry.Username}'.");
            }

            if (string.IsNullOrWhiteSpace(entry.Realm))
            {
                failures.Add($"{key}:Realm is required (the domain of the address of record).");
            }

            if (string.IsNullOrEmpty(entry.Password) == string.IsNullOrEmpty(entry.Ha1))
            {
                failures.Add($"{key}: set Password or Ha1, one of them.");
            }

            if (!string.IsNullOrEmpty(entry.Ha1) && !IsHex(entry.Ha1, 32))
            {
                failures.Add($"{key}:Ha1 must be 32 hex digits (MD5).");
            }

            if (!string.IsNullOrEmpty(entry.Ha1Sha256) && (!IsHex(entry.Ha1Sha256, 64) || string.IsNullOrEmpty(entry.Ha1)))
            {
                failures.Add($"{key}:Ha1Sha256 must be 64 hex digits (SHA-256), beside Ha1.");
            }

            if (entry.Username is { } user && entry.Realm is { } realm && !seen.Add((user, realm.ToLowerInvariant())))
            {
                failures.Add($"{key}: {user}@{realm} is listed twice.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsHex(string text, int length) => text.Length == length && text.AsSpan().IndexOfAnyExcept(HexDigits) < 0;
}
