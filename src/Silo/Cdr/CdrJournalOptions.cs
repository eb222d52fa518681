using Microsoft.Extensions.Options;

namespace CallControl.Silo.Cdr;

/// <summary>
/// The CDR journal's settings, from configuration section <c>CallControl:Cdr</c> (beside the embedded default's
/// <c>Path</c>): where the outbox makes the CDRs it holds durable, so a silo that dies during a store outage does not
/// lose them (docs/architecture.md, "Store outages").
/// </summary>
public sealed class CdrJournalOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Cdr";

    /// <summary>
    /// Whether the outbox journals what it holds. On by default; off, a silo that dies during an outage loses the
    /// CDRs it holds (the behaviour before the journal, kept for comparison: scripts/faults postgres-down-silo-kill).
    /// </summary>
    public bool JournalEnabled { get; set; } = true;

    /// <summary>
    /// The journal's folder, one file per held CDR; relative paths are from the working directory, beside the
    /// embedded default's <c>data/cdr.jsonl</c>. It must survive the process: scripts/cluster gives each silo its own
    /// under .cluster/, Kubernetes a volume (docs/operations.md).
    /// </summary>
    public string JournalPath { get; set; } = "data/cdr-journal";
}

/// <summary>Rejects a journal path that cannot be a folder, naming the key.</summary>
public sealed class CdrJournalOptionsValidator : IValidateOptions<CdrJournalOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CdrJournalOptions options)
    {
        const string key = CdrJournalOptions.Section + ":JournalPath";
        if (!options.JournalEnabled)
        {
            return ValidateOptionsResult.Success;
        }

        if (string.IsNullOrWhiteSpace(options.JournalPath))
        {
            return ValidateOptionsResult.Fail($"{key} must name a folder (or set {CdrJournalOptions.Section}:JournalEnabled to false).");
        }

        if (options.JournalPath.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || File.Exists(options.JournalPath))
        {
            return ValidateOptionsResult.Fail($"{key}: '{options.JournalPath}' is not a usable folder path.");
        }

        return ValidateOptionsResult.Success;
    }
}
