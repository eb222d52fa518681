using System.Globalization;
using System.Text;

namespace CallControl.EndToEnd.Tests.Infrastructure.Dns;

/// <summary>
/// The records a test's DNS server serves, written as dnsmasq configuration lines: addresses, SRV and NAPTR records,
/// each answered with one TTL. Names outside the zone's domain are refused by no upstream; names inside it that have no
/// record are answered NXDOMAIN (the server is the domain's authority).
/// </summary>
public sealed class DnsZone(string domain)
{
    private readonly List<string> _lines = [];

    public string Domain => domain;

    /// <summary>The TTL of every answer, in seconds (dnsmasq's local-ttl).</summary>
    public int Ttl { get; init; } = 60;

    /// <summary>A and AAAA records of <paramref name="name"/>.</summary>
    public DnsZone Host(string name, params string[] addresses)
    {
        _lines.Add($"host-record={name},{string.Join(',', addresses)}");
        return this;
    }

    /// <summary>An SRV record (RFC 2782): <paramref name="service"/> such as "_sip._udp.carrier.test".</summary>
    public DnsZone Srv(string service, string target, int port, int priority, int weight)
    {
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"srv-host={service},{target},{port},{priority},{weight}"));
        return this;
    }

    /// <summary>A NAPTR record with the "s" flag (RFC 3263 §4.1): <paramref name="service"/> such as "SIP+D2T".</summary>
    public DnsZone Naptr(string name, int order, int preference, string service, string srvName)
    {
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"naptr-record={name},{order},{preference},\"s\",\"{service}\",\"\",{srvName}"));
        return this;
    }

    /// <summary>dnsmasq's configuration: this zone alone, on 127.0.0.1:<paramref name="port"/>.</summary>
    public string Configuration(int port)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"port={port}");
        text.AppendLine("listen-address=127.0.0.1");
        text.AppendLine("bind-interfaces"); // its port alone, on loopback alone
        text.AppendLine("no-resolv");       // no upstream: only what is here
        text.AppendLine("no-hosts");        // not /etc/hosts either
        text.AppendLine("no-poll");
        text.AppendLine(CultureInfo.InvariantCulture, $"local=/{domain}/"); // NXDOMAIN for the domain's other names
        text.AppendLine(CultureInfo.InvariantCulture, $"local-ttl={Ttl}");
        text.AppendLine("log-queries");
        foreach (var line in _lines)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }
}
