using Microsoft.Extensions.Options;

namespace CallControl.Edge.Messages;

/// <summary>Rejects message relay settings that cannot work, naming the key, so a bad value stops the edge at start-up.</summary>
public sealed class MessageOptionsValidator : IValidateOptions<MessageOptions>
{
    private const string S = MessageOptions.Section;

    /// <summary>The longest <see cref="MessageOptions.Timeout"/>: what the cross-edge relay's response timeout leaves room for.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(30);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MessageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxBodySize is < 0 or > 1_048_576)
        {
            failures.Add($"{S}:MaxBodySize must be from 0 to 1048576 bytes (default 16384); got {options.MaxBodySize}.");
        }

        if (options.Timeout < TimeSpan.FromSeconds(1) || options.Timeout > MaxTimeout)
        {
            failures.Add($"{S}:Timeout must be from 00:00:01 to 00:00:30 (default 00:00:25); got {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
