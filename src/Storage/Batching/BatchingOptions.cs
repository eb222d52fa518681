using Microsoft.Extensions.Options;

namespace CallControl.Storage.Batching;

/// <summary>How concurrent writes are coalesced, from configuration section <c>CallControl:Storage:Batching</c>.</summary>
public sealed class BatchingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Storage:Batching";

    /// <summary>When false, grain state and CDRs are written one statement per round trip (the ADO.NET provider alone).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Round trips in flight at once, each on a connection of its own. A few are enough: while one batch commits,
    /// the next fills up (../shared/design/ORLEANS.md §9 measured 4 connections at 7,700–9,300 calls/s).
    /// </summary>
    public int Connections { get; set; } = 4;

    /// <summary>The most statements one round trip carries.</summary>
    public int MaxStatements { get; set; } = 64;
}

/// <summary>Rejects batching settings that cannot work, naming the key.</summary>
public sealed class BatchingOptionsValidator : IValidateOptions<BatchingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, BatchingOptions options)
    {
        var failures = new List<string>();
        if (options.Connections is < 1 or > 64)
        {
            failures.Add($"{BatchingOptions.Section}:Connections must be between 1 and 64; got {options.Connections}.");
        }

        if (options.MaxStatements is < 1 or > 1000)
        {
            failures.Add($"{BatchingOptions.Section}:MaxStatements must be between 1 and 1000; got {options.MaxStatements}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
