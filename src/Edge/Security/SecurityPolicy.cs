using System.Net;

namespace CallControl.Edge.Security;

/// <summary>
/// <see cref="SecurityOptions"/> made ready to ask, per packet: the parsed network lists, the scanner substrings, the
/// limit of each <see cref="RequestKind"/>.
/// </summary>
public sealed class SecurityPolicy
{
    /// <summary>Builds the policy; <paramref name="defaultTrusted"/> applies when TrustedNetworks is not configured.</summary>
    /// <exception cref="FormatException">A network does not parse (the validator has said so at start).</exception>
    public SecurityPolicy(SecurityOptions options, IEnumerable<string>? defaultTrusted = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Trusted = NetworkList.Parse(options.TrustedNetworks ?? defaultTrusted);
        Allowed = NetworkList.Parse(options.AllowedNetworks);
        Denied = NetworkList.Parse(options.DeniedNetworks);
        ScannerUserAgents = [.. ((IEnumerable<string>?)options.ScannerUserAgents ?? SecurityOptions.DefaultScannerUserAgents).Where(s => !string.IsNullOrWhiteSpace(s))];
        Limits = [.. RateLimit.Kinds.Select(options.LimitFor)];
    }

    /// <summary>The options as configured.</summary>
    public SecurityOptions Options { get; }

    /// <summary>Networks routed without a challenge and never throttled or banned automatically.</summary>
    public NetworkList Trusted { get; }

    /// <summary>Networks that may send at all (empty: all).</summary>
    public NetworkList Allowed { get; }

    /// <summary>Networks that may not send.</summary>
    public NetworkList Denied { get; }

    /// <summary>Scanner User-Agent substrings.</summary>
    public IReadOnlyList<string> ScannerUserAgents { get; }

    /// <summary>The rate limit of each <see cref="RequestKind"/>, by its number.</summary>
    internal RateLimit[] Limits { get; }

    /// <summary>True when <paramref name="address"/> may not send anything (the ACLs).</summary>
    public bool IsDenied(IPAddress address) => (!Allowed.IsEmpty && !Allowed.Contains(address)) || Denied.Contains(address);

    /// <summary>True when <paramref name="address"/> is in a trusted network.</summary>
    public bool IsTrusted(IPAddress address) => Trusted.Contains(address);

    /// <summary>The scanner substring <paramref name="userAgent"/> holds, if any.</summary>
    public bool IsScanner(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return false;
        }

        foreach (var scanner in ScannerUserAgents)
        {
            if (userAgent.Contains(scanner, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
