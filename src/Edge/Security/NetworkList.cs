using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace CallControl.Edge.Security;

/// <summary>A list of networks in CIDR notation (IPv4 and IPv6), asked whether an address is in any of them.</summary>
public sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks) => _networks = networks;

    /// <summary>The empty list: contains nothing.</summary>
    public static NetworkList Empty { get; } = new([]);

    /// <summary>True when the list has no network.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Parses the entries (empty ones are skipped: a list configured as one empty item is empty).</summary>
    /// <exception cref="FormatException">An entry is not an address or a CIDR network; the message names its index.</exception>
    public static NetworkList Parse(IEnumerable<string>? entries)
    {
        var networks = new List<IPNetwork>();
        var index = 0;
        foreach (var entry in entries ?? [])
        {
            if (!string.IsNullOrWhiteSpace(entry))
            {
                networks.Add(TryParseNetwork(entry.Trim(), out var network) ? network : throw new FormatException($"{index}: '{entry}' is not a network (CIDR such as 192.0.2.0/24 or 2001:db8::/32, or one address)"));
            }

            index++;
        }

        return new([.. networks]);
    }

    /// <summary>One network in CIDR notation, or one address (a /32 or /128).</summary>
    public static bool TryParseNetwork(string text, [NotNullWhen(true)] out IPNetwork network)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            // Host bits set below the prefix (10.0.0.1/8) are a typo an operator should see; IPNetwork.TryParse clears
            // them without a word (.NET 9 on), so the address before the '/' must be the network's own.
            if (!IPNetwork.TryParse(text, out network)
                || !IPAddress.TryParse(text.AsSpan(0, text.IndexOf('/', StringComparison.Ordinal)), out var written)
                || !written.Equals(network.BaseAddress))
            {
                network = default;
                return false;
            }
        }
        else if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        else
        {
            network = default;
            return false;
        }

        // Sources are judged by their IPv4 address when they arrive IPv4-mapped (Contains), so an entry written in
        // that form (::ffff:192.0.2.0/120) is the IPv4 network it maps; otherwise it could never match anything.
        if (network.BaseAddress.IsIPv4MappedToIPv6 && network.PrefixLength >= 96)
        {
            network = new IPNetwork(network.BaseAddress.MapToIPv4(), network.PrefixLength - 96);
        }

        return true;
    }

    /// <summary>True when <paramref name="address"/> (an IPv4-mapped IPv6 address as its IPv4 one) is in a network of the list.</summary>
    public bool Contains(IPAddress address)
    {
        if (_networks.Length == 0)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var network in _networks)
        {
            if (network.Contains(plain))
            {
                return true;
            }
        }

        return false;
    }
}
