using System.Globalization;
using System.Net;
using System.Text;
using CallControl.Sip.Messages;
using CallControl.Sip.Registration;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Transactions;

/// <summary>
/// Writes into a response's top Via where its request really came from: <c>received</c> when the sent-by host is not
/// the source address (RFC 3261 §18.2.1), and <c>received</c> with <c>rport=port</c> when the client asked with an
/// empty rport (RFC 3581 §4), on every transport. A phone behind NAT learns its public address and port from it
/// (RFC 5626 §4.3 compares them across REGISTERs to notice a new NAT binding). A response that needs neither is
/// sent as built, without a copy.
/// </summary>
internal static class ViaStamp
{
    /// <summary>The response with its top Via stamped, or <paramref name="response"/> itself when nothing is to add.</summary>
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> response, SipMessage request, SipEndPoint source)
    {
        var via = request.TopVia;
        var address = source.Address.Address;
        var rport = via.HasRport && string.IsNullOrEmpty(via.Parameters["rport"]);
        var received = rport || (via.Received is null && !NatDetection.SameHost(via.Host, address.ToString()));
        if (!received || !TryFindTopVia(response.Span, out var start, out var end))
        {
            return response;
        }

        var value = response.Span[start..end];
        var rportAt = rport ? FindEmptyRport(value) : -1;
        var addition = new StringBuilder();
        if (value.IndexOf(";received="u8) < 0)
        {
            // received takes the bare address, IPv6 included (RFC 3261 §20.42 and RFC 5118 §4.5: IPv6address, no
            // brackets), and no zone index, which its grammar has no room for.
            var shown = address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
                : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
                : address;
            addition.Append(";received=").Append(shown);
        }

        var rportValue = rportAt >= 0 ? "=" + source.Address.Port.ToString(CultureInfo.InvariantCulture) : "";
        if (addition.Length == 0 && rportValue.Length == 0)
        {
            return response;
        }

        var added = Encoding.ASCII.GetBytes(addition.ToString());
        var port = Encoding.ASCII.GetBytes(rportValue);
        var stamped = new byte[response.Length + added.Length + port.Length];
        var span = response.Span;
        var cut = rportAt >= 0 ? start + rportAt : end; // after ";rport" the port goes in, then the rest of the value
        span[..cut].CopyTo(stamped);
        port.CopyTo(stamped.AsSpan(cut));
        span[cut..end].CopyTo(stamped.AsSpan(cut + port.Length));
        added.CopyTo(stamped.AsSpan(end + port.Length));
        span[end..].CopyTo(stamped.AsSpan(end + port.Length + added.Length));
        return stamped;
    }

    /// <summary>The first Via value of a message: from after "Via:" (or "v:") to its first top-level comma or line end.</summary>
    internal static bool TryFindTopVia(ReadOnlySpan<byte> message, out int start, out int end)
    {
        start = end = 0;
        var position = message.IndexOf("\r\n"u8);
        while (position >= 0 && position + 2 < message.Length)
        {
            var line = message[(position + 2)..];
            var colon = line.IndexOf((byte)':');
            var lineEnd = line.IndexOf("\r\n"u8);
            if (lineEnd <= 0 || colon < 0)
            {
                return false; // the blank line: no Via
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (colon < lineEnd && (Ascii.EqualsIgnoreCase(name, "Via"u8) || Ascii.EqualsIgnoreCase(name, "v"u8)))
            {
                start = position + 2 + colon + 1;
                var value = message[start..(position + 2 + lineEnd)];
                var comma = value.IndexOf((byte)',');
                end = start + (comma >= 0 ? comma : value.Length);
                while (end > start && message[end - 1] is (byte)' ' or (byte)'\t')
                {
                    end--;
                }

                return true;
            }

            position += 2 + lineEnd;
        }

        return false;
    }

    /// <summary>Where ";rport" without a value ends in a Via value (the offset after "rport"), or -1.</summary>
    private static int FindEmptyRport(ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (offset < value.Length)
        {
            var at = value[offset..].IndexOf(";rport"u8);
            if (at < 0)
            {
                return -1;
            }

            var after = offset + at + ";rport".Length;
            if (after == value.Length || value[after] is (byte)';' or (byte)' ' or (byte)'\t')
            {
                return after;
            }

            offset = after;
        }

        return -1;
    }
}
