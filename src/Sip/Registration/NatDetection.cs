using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Registration;

/// <summary>
/// Whether a request's sender sits behind a NAT, judged as Kamailio's <c>nat_uac_test</c> does from what the request
/// says about itself against where it really came from: a Contact or a top Via whose host is not the source address,
/// or (over UDP, where the port is the flow) whose port is not the source port. A Contact that names a host instead of
/// an address counts as different: the source is the only address known to reach the phone. Plain code shared by the
/// registrar (which reaches such a binding through its flow) and the edge (which keeps such a flow open).
/// </summary>
public static class NatDetection
{
    /// <summary>True when <paramref name="contact"/> or the top Via of <paramref name="request"/> is not the source.</summary>
    /// <param name="request">The request (a REGISTER, an INVITE).</param>
    /// <param name="contact">The Contact to judge (a REGISTER may carry several).</param>
    /// <param name="transport">The transport it came on.</param>
    /// <param name="sourceHost">The source address, as text (an IP literal).</param>
    /// <param name="sourcePort">The source port.</param>
    public static bool IsBehindNat(SipMessage request, NameAddress contact, SipTransportKind transport, string sourceHost, int sourcePort)
    {
        var udp = transport == SipTransportKind.Udp;
        var defaultPort = transport == SipTransportKind.Tls || contact.Uri.Scheme == "sips" ? 5061 : 5060;
        if (!SameHost(contact.Uri.Host, sourceHost) || (udp && (contact.Uri.Port ?? defaultPort) != sourcePort))
        {
            return true;
        }

        var via = request.TopVia;
        return !SameHost(via.Host, sourceHost) || (udp && (via.Port ?? defaultPort) != sourcePort);
    }

    /// <summary>True for an address no one outside its own network can reach (RFC 1918, RFC 6598 shared, link-local, ULA).</summary>
    public static bool IsPrivate(string host)
    {
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal;
        }

        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] == 10
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && (b[1] & 0xC0) == 64)
            || (b[0] == 169 && b[1] == 254);
    }

    /// <summary>True when <paramref name="host"/> is <paramref name="sourceHost"/>, however either address is written.</summary>
    internal static bool SameHost(string host, string sourceHost)
    {
        var bare = host.AsSpan().Trim("[]");
        if (bare.Equals(sourceHost.AsSpan().Trim("[]"), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "::ffff:10.0.0.1" and "10.0.0.1", "2001:db8::1" and "2001:DB8:0::1": the same address written differently.
        return IPAddress.TryParse(bare, out var a) && IPAddress.TryParse(sourceHost.AsSpan().Trim("[]"), out var b)
            && Normal(a).Equals(Normal(b));
    }

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

}
