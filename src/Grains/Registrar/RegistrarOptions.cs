using Microsoft.Extensions.Options;

namespace CallControl.Grains.Registrar;

/// <summary>
/// The registrar's settings (<c>CallControl:Registrar</c>; the edge reads its keep-alive keys from the same section).
/// </summary>
public sealed class RegistrarOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Registrar";

    /// <summary>
    /// The most a binding behind NAT over UDP is granted (default 60 s; 0: what the phone asks): the phone's own
    /// refreshes then keep its NAT binding open too. Refreshes cost no PostgreSQL write (<see cref="StoredExpiryAhead"/>).
    /// </summary>
    public TimeSpan NatExpires { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How far beyond a binding's expiry the stored copy's expiry is put (default 1 h). A refresh of an unchanged
    /// binding whose new expiry is still within the stored one is not written: the access side refreshes often, the
    /// core is written about once per this period. After a silo's death the stored expiry is what the registrar knows,
    /// so a phone that stopped refreshing may look registered up to this much longer, never the other way round.
    /// </summary>
    public TimeSpan StoredExpiryAhead { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Stops start-up on a <see cref="RegistrarOptions"/> value out of range, naming its key.</summary>
public sealed class RegistrarOptionsValidator : IValidateOptions<RegistrarOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RegistrarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.NatExpires < TimeSpan.Zero || options.NatExpires > RegistrationRules.MaximumExpires)
        {
            failures.Add($"{RegistrarOptions.Section}:NatExpires must be between 0 (off) and {RegistrationRules.MaximumExpires}; it is {options.NatExpires}.");
        }
        else if (options.NatExpires > TimeSpan.Zero && options.NatExpires < RegistrationRules.MinimumExpires)
        {
            failures.Add($"{RegistrarOptions.Section}:NatExpires must be 0 (off) or at least the registrar's Min-Expires {RegistrationRules.MinimumExpires}; it is {options.NatExpires}.");
        }

        if (options.StoredExpiryAhead < TimeSpan.Zero || options.StoredExpiryAhead > TimeSpan.FromDays(7))
        {
            failures.Add($"{RegistrarOptions.Section}:StoredExpiryAhead must be between 0 and 7 days; it is {options.StoredExpiryAhead}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
