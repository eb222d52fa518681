using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace CallControl.Sip.Headers;

/// <summary>
/// The one rule for host strings across the stack, the grains and the edge: a host is kept as a SIP URI writes it
/// (RFC 3261 §25.1 <c>host</c>: a name, an IPv4 address, or an IPv6 reference in brackets, RFC 5118 §4), so it can be
/// put into Via sent-by, Contact and Request-URIs as it is. <see cref="SipUri.Host"/> and <see cref="ViaHeader.Host"/>
/// already hold that form; so do the grains' peers and edges. Only a socket address (and Via's <c>received</c>,
/// whose grammar is the bare <c>IPv6address</c>) takes the address without brackets.
/// </summary>
public static class SipHost
{
    /// <summary>An address as a URI host: IPv6 in brackets, an IPv4-mapped address as its IPv4 one, no zone index
    /// (a SIP URI has no syntax for one).</summary>
    public static string Of(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString(); // IPv4: the same text as before, and no more allocation than before
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        return "[" + WithoutZone(address) + "]";
    }

    /// <summary>
    /// A configured host (a name, an IPv4 address, an IPv6 address with or without brackets) as a URI host.
    /// Anything else is returned unchanged (validation reports it).
    /// </summary>
    public static string Normalize(string host)
        => host.Length > 0 && host[0] != '[' && host.Contains(':', StringComparison.Ordinal) && TryParseAddress(host, out var address)
            ? Of(address)
            : host;

    /// <summary>The host without the brackets of an IPv6 reference: the form <see cref="IPAddress.TryParse(string, out IPAddress)"/> and DNS take.</summary>
    public static ReadOnlySpan<char> Bare(ReadOnlySpan<char> host)
        => host.Length >= 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    /// <summary>The host without the brackets of an IPv6 reference, as a string (no copy when there are none).</summary>
    public static string Bare(string host)
        => host.Length >= 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    /// <summary>
    /// An IP address written alone: "192.0.2.1", "2001:db8::1" or "[2001:db8::1]". Unlike
    /// <see cref="IPAddress.TryParse(string, out IPAddress)"/>, "[2001:db8::1]:5060" (an address with a port) is refused,
    /// as is a bracketed IPv4 address: a configuration key that takes an address should say so rather than drop a port.
    /// </summary>
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var bracketed = text.StartsWith('[');
        var bare = Bare(text.AsSpan());
        if ((bracketed && bare.Length == text.Length) || bare.ContainsAny("[]") || !IPAddress.TryParse(bare, out var parsed))
        {
            return false;
        }

        if (bracketed && parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    /// <summary>The IPv6 address's text without a zone index ("fe80::1%2" → "fe80::1"): for URIs and <c>received</c>.</summary>
    public static string WithoutZone(IPAddress address)
        => address.ScopeId == 0 ? address.ToString() : new IPAddress(address.GetAddressBytes()).ToString();
}
