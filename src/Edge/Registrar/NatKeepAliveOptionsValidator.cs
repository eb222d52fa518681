using Microsoft.Extensions.Options;

namespace CallControl.Edge.Registrar;

/// <summary>Rejects keep-alive settings that cannot work, naming the key, so a bad value stops the edge at start-up.</summary>
public sealed class NatKeepAliveOptionsValidator : IValidateOptions<NatKeepAliveOptions>
{
    private const string S = NatKeepAliveOptions.Section;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NatKeepAliveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.NatKeepAlive < TimeSpan.Zero || (options.Enabled && options.NatKeepAlive < NatFlowTable.Tick) || options.NatKeepAlive > TimeSpan.FromHours(1))
        {
            // Below a second the wheel cannot keep time; past an hour every router has forgotten the flow.
            failures.Add($"{S}:NatKeepAlive must be 0 (off) or from 00:00:01 to 01:00:00 (default 00:00:25); got {options.NatKeepAlive}.");
        }

        if (!Enum.IsDefined(options.NatKeepAliveMethod))
        {
            failures.Add($"{S}:NatKeepAliveMethod must be Options or Crlf (default Options); got {options.NatKeepAliveMethod}.");
        }

        if (options.NatKeepAliveFailures is < 1 or > 100)
        {
            failures.Add($"{S}:NatKeepAliveFailures must be from 1 to 100 (default 3); got {options.NatKeepAliveFailures}.");
        }

        if (options.NatKeepAliveMaxFlows < 1)
        {
            failures.Add($"{S}:NatKeepAliveMaxFlows must be at least 1 (default 500000); got {options.NatKeepAliveMaxFlows}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
