using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Dns;

/// <summary>How targets named by host are resolved (RFC 3263), bound from <c>CallControl:Dns</c>.</summary>
public sealed class DnsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Dns";

    /// <summary>DNS's own port, when a server is given without one.</summary>
    public const int DefaultPort = 53;

    /// <summary>
    /// The DNS servers to ask, each "address" or "address:port" (IPv6 as "[::1]:5353"), tried in this order
    /// (<c>CallControl__Dns__Servers__0=127.0.0.1:5353</c>). Empty (the default): the system's (/etc/resolv.conf).
    /// </summary>
    public IList<string> Servers { get; init; } = [];

    /// <summary>How long one query waits for its answer; default 2 s. A call's INVITE waits for its target's lookups.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many times a query that got no answer is sent again; default 1.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// How long a lookup that found nothing, or failed, is remembered before it is asked again; default 5 s (answers
    /// are kept for their records' TTL). Keeps a dead or misspelt target from costing a query per call.
    /// </summary>
    public TimeSpan NegativeCacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The name outbound TLS checks a server's certificate against when DNS found the server through SRV: <c>domain</c>
    /// (the default), the URI's own host, as RFC 5922 §4 requires (a DNS answer cannot then send the call to a host
    /// that merely holds a valid certificate of its own); <c>target</c>, the SRV target's host name, for carriers whose
    /// servers' certificates name only themselves.
    /// </summary>
    public TlsServerName TlsServerName { get; set; } = TlsServerName.Domain;

    /// <summary>The most servers one URI gets (the failover's length); default 8.</summary>
    public int MaxHops { get; set; } = 8;

    /// <summary><see cref="Servers"/> as endpoints; call after validation.</summary>
    public IReadOnlyList<IPEndPoint> ServerEndPoints() => [.. Servers.Select(s => ParseServer(s)!)];

    /// <summary>"address" or "address:port" as an endpoint, or null when it is neither.</summary>
    public static IPEndPoint? ParseServer(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var bracketed = text.StartsWith('[');
        if (bracketed ? text.EndsWith(']') : !text.Contains('.', StringComparison.Ordinal) || !text.Contains(':', StringComparison.Ordinal))
        {
            // An address alone ("127.0.0.1", "::1", "[::1]"): DNS's port.
            return IPAddress.TryParse(text.Trim('[', ']'), out var address) ? new IPEndPoint(address, DefaultPort) : null;
        }

        return IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0 ? endPoint : null;
    }
}

/// <summary>Which name outbound TLS expects in a certificate of a server found through SRV (<see cref="DnsOptions.TlsServerName"/>).</summary>
public enum TlsServerName
{
    /// <summary>The URI's host (RFC 5922 §4).</summary>
    Domain,

    /// <summary>The SRV record's target.</summary>
    Target,
}

/// <summary>Stops start-up on a setting the resolver cannot use, naming its key.</summary>
public sealed class DnsOptionsValidator : IValidateOptions<DnsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DnsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Servers.Count; i++)
        {
            if (DnsOptions.ParseServer(options.Servers[i]) is null)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{DnsOptions.Section}:Servers:{i}: '{options.Servers[i]}' is not an address or address:port (e.g. 127.0.0.1:5353, [::1]:53)."));
            }
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{DnsOptions.Section}:Timeout: must be over 0 and at most 30 seconds.");
        }

        if (options.Retries is < 0 or > 5)
        {
            failures.Add($"{DnsOptions.Section}:Retries: must be 0 to 5.");
        }

        if (options.NegativeCacheFor < TimeSpan.Zero || options.NegativeCacheFor > TimeSpan.FromHours(1))
        {
            failures.Add($"{DnsOptions.Section}:NegativeCacheFor: must be 0 to 1 hour.");
        }

        if (options.MaxHops is < 1 or > 64)
        {
            failures.Add($"{DnsOptions.Section}:MaxHops: must be 1 to 64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
