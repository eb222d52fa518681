using System.Net;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>The edge's SIP listener, from configuration section <c>CallControl:Edge</c>.</summary>
public sealed class EdgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Edge";

    /// <summary>The address to listen on; default 127.0.0.1 (loopback only, until an operator says otherwise).</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The SIP port for UDP and TCP; default 5060 (RFC 3261 §19.1.2).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>The transports to run, comma-separated: udp, tcp.</summary>
    public string Transports { get; set; } = "udp,tcp";

    /// <summary>The host put in Via and Contact; default: <see cref="ListenAddress"/>.</summary>
    public string? AdvertisedHost { get; set; }

    /// <summary>This edge's name in CDRs and logs; default: host name and process id.</summary>
    public string? EdgeId { get; set; }

    /// <summary>Most TCP connections open at once; more are refused (default 10,000).</summary>
    public int MaxTcpConnections { get; set; } = 10_000;

    /// <summary>Kernel socket buffer size for UDP; default 4 MiB, so bursts queue instead of dropping.</summary>
    public int UdpSocketBufferBytes { get; set; } = 4 << 20;

    /// <summary>The transports as a list.</summary>
    public IReadOnlyList<string> TransportList => Transports.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Rejects edge settings that cannot work, naming the key.</summary>
public sealed class EdgeOptionsValidator : IValidateOptions<EdgeOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, EdgeOptions options)
    {
        const string s = EdgeOptions.Section;
        var failures = new List<string>();
        if (!IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{s}:ListenAddress: '{options.ListenAddress}' is not an IP address.");
        }

        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{s}:Port: {options.Port} is not a port number (0–65535; 0 picks a free one).");
        }

        var transports = options.TransportList;
        if (transports.Count == 0 || transports.Any(t => !t.Equals("udp", StringComparison.OrdinalIgnoreCase) && !t.Equals("tcp", StringComparison.OrdinalIgnoreCase)))
        {
            failures.Add($"{s}:Transports: '{options.Transports}' must list udp and/or tcp.");
        }

        if (options.MaxTcpConnections < 1)
        {
            failures.Add($"{s}:MaxTcpConnections must be at least 1; got {options.MaxTcpConnections}.");
        }

        if (options.UdpSocketBufferBytes < 65_536)
        {
            failures.Add($"{s}:UdpSocketBufferBytes must be at least 65536; got {options.UdpSocketBufferBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
