using Microsoft.Extensions.Options;

namespace CallControl.Edge.Security;

/// <summary>Rejects a border that cannot work, naming the key: networks that do not parse, limits and windows out of range.</summary>
public sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    private const string S = SecurityOptions.Section;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Networks(failures, nameof(SecurityOptions.TrustedNetworks), options.TrustedNetworks);
        Networks(failures, nameof(SecurityOptions.AllowedNetworks), options.AllowedNetworks);
        Networks(failures, nameof(SecurityOptions.DeniedNetworks), options.DeniedNetworks);
        if (options.MaxAuthFailures is < 1 or > 100)
        {
            // Each tracked source keeps this many timestamps: bounded, so a spoofed flood cannot make it costly.
            failures.Add($"{S}:MaxAuthFailures must be from 1 to 100 (default 5); got {options.MaxAuthFailures}.");
        }

        Positive(failures, nameof(SecurityOptions.AuthFailureWindow), options.AuthFailureWindow);
        Positive(failures, nameof(SecurityOptions.BanTime), options.BanTime);
        Positive(failures, nameof(SecurityOptions.FloodWindow), options.FloodWindow);
        Positive(failures, nameof(SecurityOptions.BanSyncInterval), options.BanSyncInterval);
        if (options.FloodWindowsToBan < 1)
        {
            failures.Add($"{S}:FloodWindowsToBan must be at least 1 (default 3); got {options.FloodWindowsToBan}.");
        }

        if (options.MaxConnectionsPerSource < 1)
        {
            failures.Add($"{S}:MaxConnectionsPerSource must be at least 1 (default 64); got {options.MaxConnectionsPerSource}.");
        }

        if (options.MaxTrackedSources < 1)
        {
            failures.Add($"{S}:MaxTrackedSources must be at least 1 (default 100000); got {options.MaxTrackedSources}.");
        }

        foreach (var (kind, limit) in options.RateLimits)
        {
            if (!RateLimit.Kinds.Contains(kind, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{S}:RateLimits:{kind} is not a kind of request that is limited ({string.Join(", ", RateLimit.Kinds)}).");
            }
            else if (limit.PerSecond < 0 || double.IsNaN(limit.PerSecond) || (limit.PerSecond > 0 && limit.Burst < 1))
            {
                failures.Add($"{S}:RateLimits:{kind}: PerSecond must be 0 (no limit) or more, and Burst at least 1 when limited; got {limit.PerSecond} and {limit.Burst}.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Networks(List<string> failures, string key, IList<string>? entries)
    {
        try
        {
            NetworkList.Parse(entries);
        }
        catch (FormatException e)
        {
            failures.Add($"{S}:{key}:{e.Message}.");
        }
    }

    private static void Positive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{S}:{key} must be more than 0; got {value}.");
        }
    }
}
