using Microsoft.Extensions.Options;

namespace CallControl.Grains.Dialogs;

/// <summary>Call timers and the new-call policy during a store outage, from configuration section <c>CallControl:Calls</c>.</summary>
public sealed class CallOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Calls";

    /// <summary>How long the callee may ring before the caller gets 480 and the callee a CANCEL (default 60 s, a common carrier value).</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest an answered call may last before both legs get a BYE (default 4 h; guards against lost BYEs).</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);

    /// <summary>
    /// What a new call gets when the state store refuses its first write (an outage): <see cref="StoreOutagePolicy.Reject"/>
    /// (503 with Retry-After, the default) or <see cref="StoreOutagePolicy.Proceed"/>. Calls that already exist go on either way.
    /// </summary>
    public StoreOutagePolicy StoreOutagePolicy { get; set; } = StoreOutagePolicy.Reject;

    /// <summary>The Retry-After of that 503, in whole seconds on the wire (default 30 s: about a database restart or failover).</summary>
    public TimeSpan StoreOutageRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>New calls while the state store is down.</summary>
public enum StoreOutagePolicy
{
    /// <summary>503 Service Unavailable with Retry-After: the caller (or its proxy) tries again, or elsewhere, later.</summary>
    Reject,

    /// <summary>Ring anyway: the state is written when the store is back, and is lost if this silo dies before.</summary>
    Proceed,
}

/// <summary>Rejects timers that cannot work, naming the key.</summary>
public sealed class CallOptionsValidator : IValidateOptions<CallOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CallOptions options)
    {
        var failures = new List<string>();
        if (options.RingTimeout < TimeSpan.FromSeconds(1) || options.RingTimeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{CallOptions.Section}:RingTimeout must be between 1 s and 1 h; got {options.RingTimeout}.");
        }

        if (options.MaxDuration < TimeSpan.FromSeconds(1) || options.MaxDuration > TimeSpan.FromDays(7))
        {
            failures.Add($"{CallOptions.Section}:MaxDuration must be between 1 s and 7 days; got {options.MaxDuration}.");
        }

        if (!Enum.IsDefined(options.StoreOutagePolicy))
        {
            failures.Add($"{CallOptions.Section}:StoreOutagePolicy must be Reject or Proceed; got {options.StoreOutagePolicy}.");
        }

        if (options.StoreOutageRetryAfter < TimeSpan.FromSeconds(1) || options.StoreOutageRetryAfter > TimeSpan.FromHours(1))
        {
            failures.Add($"{CallOptions.Section}:StoreOutageRetryAfter must be between 1 s and 1 h; got {options.StoreOutageRetryAfter}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
