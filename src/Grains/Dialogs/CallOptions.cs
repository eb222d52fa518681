using Microsoft.Extensions.Options;

namespace CallControl.Grains.Dialogs;

/// <summary>Call timers, from configuration section <c>CallControl:Calls</c>.</summary>
public sealed class CallOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Calls";

    /// <summary>How long the callee may ring before the caller gets 480 and the callee a CANCEL (default 60 s, a common carrier value).</summary>
    public TimeSpan RingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest an answered call may last before both legs get a BYE (default 4 h; guards against lost BYEs).</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(4);
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
