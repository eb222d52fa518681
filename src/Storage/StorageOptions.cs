using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Storage;

/// <summary>PostgreSQL settings, from configuration section <c>CallControl:Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Storage";

    /// <summary>An Npgsql connection string; when empty, state is in memory (the embedded default).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>True when PostgreSQL is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>Rejects a connection string Npgsql cannot read, naming the key.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{StorageOptions.Section}:ConnectionString is not a valid Npgsql connection string: {e.Message}");
        }
    }
}
