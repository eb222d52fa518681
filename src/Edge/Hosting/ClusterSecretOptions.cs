using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// The cluster's key ring, from configuration section <c>CallControl:Cluster</c>: <see cref="Secret"/> encodes
/// callee-leg Call-IDs and signs digest nonces; <see cref="PreviousSecrets"/> are only accepted (docs/operations.md,
/// "Rotate the cluster secret"). Read by silos and standalone edges alike, so both agree on what they accept.
/// </summary>
public sealed class ClusterSecretOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Cluster";

    /// <summary>The current secret (<c>CallControl:Cluster:Secret</c>); required in a cluster, no default.</summary>
    public string? Secret { get; set; }

    /// <summary>
    /// Secrets this one replaced, newest first (<c>CallControl:Cluster:PreviousSecrets:N</c>); default none. Keep one
    /// for as long as a call set up under it can last (<c>CallControl:Calls:MaxDuration</c>), then drop it.
    /// </summary>
    public IList<string> PreviousSecrets { get; init; } = [];

    /// <summary>The previous secrets as configured, read directly (the codec is built before options are validated).</summary>
    public static IReadOnlyList<string> PreviousFrom(IConfiguration configuration)
        => configuration.GetSection(Section + ":" + nameof(PreviousSecrets)).Get<string[]>() ?? [];
}

/// <summary>Rejects a key ring that cannot work, naming the key.</summary>
public sealed class ClusterSecretOptionsValidator : IValidateOptions<ClusterSecretOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ClusterSecretOptions options)
    {
        var failures = new List<string>();
        var key = $"{ClusterSecretOptions.Section}:{nameof(ClusterSecretOptions.PreviousSecrets)}";
        if (options.PreviousSecrets.Count > 0 && string.IsNullOrEmpty(options.Secret))
        {
            failures.Add($"{key} is set but {ClusterSecretOptions.Section}:{nameof(ClusterSecretOptions.Secret)} is not: previous secrets only decode, the current one must encode.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.PreviousSecrets.Count; i++)
        {
            var previous = options.PreviousSecrets[i];
            if (string.IsNullOrEmpty(previous))
            {
                failures.Add($"{key}:{i} is empty.");
            }
            else if (previous == options.Secret)
            {
                failures.Add($"{key}:{i} equals the current Secret: once a secret is current, take it out of the previous ones.");
            }
            else if (!seen.Add(previous))
            {
                failures.Add($"{key}:{i} repeats an earlier previous secret.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Registers the key ring's options and validator.</summary>
public static class ClusterSecretServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="ClusterSecretOptions"/> at start, so a bad previous secret stops start-up naming its key.</summary>
    public static IServiceCollection AddClusterSecretOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterSecretOptions>().Bind(configuration.GetSection(ClusterSecretOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterSecretOptions>, ClusterSecretOptionsValidator>();
        return services;
    }
}
