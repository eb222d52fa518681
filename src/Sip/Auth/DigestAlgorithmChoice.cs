using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// The digest algorithms a server offers, in its order, and the only ones it accepts, as
/// <see cref="DigestAuthOptions.Algorithms"/> and <see cref="DigestAuthOptions.AllowMd5"/> choose them; and the
/// checks that name the key of a bad choice.
/// </summary>
public sealed class DigestAlgorithmChoice
{
    private const string Key = DigestAuthOptions.Section + ":" + nameof(DigestAuthOptions.Algorithms);

    private DigestAlgorithmChoice(IReadOnlyList<DigestAlgorithm> offered) => Offered = offered;

    /// <summary>
    /// MD5 first, then SHA-256: a client that reads only the first challenge and knows only MD5 (sipp 3.6.1, many
    /// deployed phones) can register. The cost: an RFC 8760 client that knows both picks MD5 too (docs/security.md).
    /// </summary>
    public static IReadOnlyList<DigestAlgorithm> Default { get; } = [DigestAlgorithm.Md5, DigestAlgorithm.Sha256];

    /// <summary>The algorithms to offer, one challenge each, in this order; never a -sess variant.</summary>
    public IReadOnlyList<DigestAlgorithm> Offered { get; }

    /// <summary>The choice the options make.</summary>
    /// <exception cref="OptionsValidationException">The algorithms fail the checks of <see cref="DigestAuthOptionsValidator"/>.</exception>
    public static DigestAlgorithmChoice From(DigestAuthOptions options)
    {
        var failures = new List<string>();
        var offered = Resolve(options, failures);
        return failures.Count == 0
            ? new DigestAlgorithmChoice(offered)
            : throw new OptionsValidationException(Options.DefaultName, typeof(DigestAuthOptions), failures);
    }

    /// <summary>True when credentials of this algorithm are acceptable: its hash is offered (a -sess variant with it).</summary>
    public bool Accepts(DigestAlgorithm algorithm)
    {
        var hash = algorithm.UsesMd5() ? DigestAlgorithm.Md5 : DigestAlgorithm.Sha256;
        foreach (var offered in Offered)
        {
            if (offered == hash)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The algorithms in order; each problem goes to <paramref name="failures"/>, naming the key and index.</summary>
    internal static IReadOnlyList<DigestAlgorithm> Resolve(DigestAuthOptions options, ICollection<string> failures)
    {
        if (options.Algorithms is not { } names)
        {
            return options.AllowMd5 ? Default : [DigestAlgorithm.Sha256];
        }

        if (names.Count == 0)
        {
            failures.Add($"{Key} must name at least one algorithm (MD5, SHA-256); leave it unset for the default, MD5 then SHA-256.");
        }

        var chosen = new List<DigestAlgorithm>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is not { } name || !DigestAlgorithms.TryParse(name, out var algorithm) || algorithm.IsSession())
            {
                failures.Add($"{Key}:{i} must be MD5 or SHA-256 (each accepts its -sess variant too); got '{names[i]}'.");
            }
            else if (chosen.Contains(algorithm))
            {
                failures.Add($"{Key}:{i} repeats {algorithm.Name()}: name each algorithm once.");
            }
            else if (algorithm == DigestAlgorithm.Md5 && !options.AllowMd5)
            {
                failures.Add($"{Key}:{i} names MD5, but {DigestAuthOptions.Section}:{nameof(DigestAuthOptions.AllowMd5)} is false: remove one or the other.");
            }
            else
            {
                chosen.Add(algorithm);
            }
        }

        return chosen;
    }
}
