using Microsoft.Extensions.Options;

namespace CallControl.Storage;

/// <summary>Where the embedded default writes CDRs, from configuration section <c>CallControl:Cdr</c>.</summary>
public sealed class CdrOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Cdr";

    /// <summary>The JSON-lines file, one CDR per line; relative paths are from the working directory.</summary>
    public string Path { get; set; } = "data/cdr.jsonl";
}

/// <summary>Rejects an empty or unusable CDR path, naming the key.</summary>
public sealed class CdrOptionsValidator : IValidateOptions<CdrOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CdrOptions options)
    {
        const string key = CdrOptions.Section + ":Path";
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Fail($"{key} must name a file.");
        }

        if (options.Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0 || Directory.Exists(options.Path))
        {
            return ValidateOptionsResult.Fail($"{key}: '{options.Path}' is not a usable file path.");
        }

        return ValidateOptionsResult.Success;
    }
}
