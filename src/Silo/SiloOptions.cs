using Microsoft.Extensions.Options;

namespace CallControl.Silo;

/// <summary>The silo's own settings, from configuration section <c>CallControl:Silo</c> and <c>CallControl:Cluster</c>.</summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Silo";

    /// <summary>Silo-to-silo port (Orleans default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (standalone edges) connect to (Orleans default 30000).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>This silo's name in CDRs and logs; default: Orleans' own (Silo_ and a random suffix).</summary>
    public string? Name { get; set; }

    /// <summary>The address other silos and clients reach this silo at, when clustered (default 127.0.0.1).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}

/// <summary>Rejects silo settings that cannot work, naming the key.</summary>
public sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add($"{SiloOptions.Section}:SiloPort: {options.SiloPort} is not a port number.");
        }

        if (options.GatewayPort is < 1 or > 65535 || options.GatewayPort == options.SiloPort)
        {
            failures.Add($"{SiloOptions.Section}:GatewayPort: {options.GatewayPort} is not a port number distinct from SiloPort.");
        }

        if (!System.Net.IPAddress.TryParse(options.AdvertisedAddress, out _))
        {
            failures.Add($"{SiloOptions.Section}:AdvertisedAddress: '{options.AdvertisedAddress}' is not an IP address.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
