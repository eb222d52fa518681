using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One line of the kernel's connection tracking table, as `conntrack -L -o extended` (or /proc/net/nf_conntrack) prints
/// it: "ipv4 2 udp 17 29 src=10.250.7.2 dst=172.31.7.1 sport=5060 dport=40001 [UNREPLIED] src=172.31.7.1
/// dst=172.31.7.2 sport=40001 dport=21919 mark=0 use=1". The first tuple is the original direction (as the phone sent
/// it), the second the reply direction (as the host answers it): the reply's destination is the NAT binding, the
/// address and port the host sees as the phone's.
/// </summary>
internal sealed record ConntrackEntry(
    string Protocol,
    int TimeoutSeconds,
    string? State,
    IPEndPoint OriginalSource,
    IPEndPoint OriginalDestination,
    IPEndPoint ReplySource,
    IPEndPoint ReplyDestination)
{
    /// <summary>The translated source: the router's public address and the port it chose.</summary>
    public IPEndPoint PublicEndpoint => ReplyDestination;

    /// <summary>Every entry of the table's text with ports (TCP, UDP); other lines (ICMP, summaries) are skipped.</summary>
    public static IReadOnlyList<ConntrackEntry> ParseTable(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(TryParse).OfType<ConntrackEntry>()];

    public static ConntrackEntry? TryParse(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var i = tokens.Length > 0 && tokens[0] is "ipv4" or "ipv6" ? 2 : 0;
        if (tokens.Length < i + 3 || !int.TryParse(tokens[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var timeout))
        {
            return null;
        }

        var protocol = tokens[i];
        var rest = tokens.Skip(i + 3).ToList();
        var state = rest.Count > 0 && !rest[0].Contains('=', StringComparison.Ordinal) && !rest[0].StartsWith('[') ? rest[0] : null;
        var values = rest.Where(t => t.Contains('=', StringComparison.Ordinal)).Select(t => t.Split('=', 2)).ToList();
        string[] Two(string key) => [.. values.Where(v => v[0] == key).Select(v => v[1]).Take(2)];
        var (src, dst, sport, dport) = (Two("src"), Two("dst"), Two("sport"), Two("dport"));
        if (src.Length < 2 || dst.Length < 2 || sport.Length < 2 || dport.Length < 2)
        {
            return null;
        }

        static IPEndPoint At(string address, string port) => new(IPAddress.Parse(address), int.Parse(port, CultureInfo.InvariantCulture));
        return new ConntrackEntry(protocol, timeout, state, At(src[0], sport[0]), At(dst[0], dport[0]), At(src[1], sport[1]), At(dst[1], dport[1]));
    }
}
