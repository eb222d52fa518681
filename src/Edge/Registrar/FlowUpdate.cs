using System.Globalization;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Registration;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Registrar;

/// <summary>
/// What a registrar's answer to a REGISTER means for the flow it came through: keep <see cref="Aor"/> on it until
/// <see cref="ExpiresAt"/>, or (null) forget it there. Read by <see cref="From"/>, plain code with no clock or socket.
/// </summary>
/// <param name="Aor">The registrar grain's key (<see cref="AddressOfRecord.Key"/>): the grain told when the flow fails.</param>
/// <param name="Contact">The NATed Contact URI registered (the keep-alive's Request-URI).</param>
/// <param name="ExpiresAt">Until when the registrar keeps the binding; null: de-registered.</param>
internal sealed record FlowUpdate(string Aor, string Contact, DateTimeOffset? ExpiresAt)
{
    /// <summary>RFC 3261 §10.2.1.1: a Contact with neither its own expires nor an Expires header asks for an hour.</summary>
    private const int DefaultExpires = 3600;

    /// <summary>
    /// The update for a REGISTER from <paramref name="source"/> that the grain answered with <paramref name="commands"/>,
    /// or null when there is none: not over UDP, not answered 2xx, or no Contact behind a NAT (NatDetection, as the
    /// registrar judges it). Each NATed Contact is kept for what the 200 granted it (its <c>expires</c> there; what the
    /// REGISTER asked when the 200 lists no binding at all); the flow keeps the AOR as long as the longest of them.
    /// </summary>
    public static FlowUpdate? From(SipMessage register, SipEndPoint source, SipCommand[] commands, DateTimeOffset now)
    {
        if (source.Transport != SipTransportKind.Udp || Accepted(commands) is not { } ok)
        {
            return null;
        }

        var aor = AddressOfRecord.Key(register.To.Uri);
        var contacts = register.Addresses(HeaderId.Contact);
        if (contacts.Exists(c => c.IsWildcard))
        {
            return new FlowUpdate(aor, "", null); // Contact: * with Expires: 0 (§10.2.2): every binding gone
        }

        var response = SipParser.ParseTrusted(ok.Message);
        var granted = response.Addresses(HeaderId.Contact);
        var headerExpires = Seconds(register.GetHeader(HeaderId.Expires));
        var host = source.Address.Address.ToString();
        string? natted = null;
        var longest = 0;
        foreach (var contact in contacts)
        {
            if (!NatDetection.IsBehindNat(register, contact, source.Transport, host, source.Address.Port))
            {
                continue;
            }

            var uri = contact.Uri.ToString();
            natted ??= uri;
            var asked = Seconds(contact.Parameters["expires"]) ?? headerExpires ?? DefaultExpires;
            var kept = asked <= 0 ? 0 : granted.Count == 0 ? asked : Granted(granted, uri, asked);
            if (kept > longest)
            {
                (longest, natted) = (kept, uri);
            }
        }

        return natted is null ? null : new FlowUpdate(aor, natted, longest > 0 ? now.AddSeconds(longest) : null);
    }

    private static SipCommand? Accepted(SipCommand[] commands)
    {
        foreach (var command in commands)
        {
            if (command.Kind == SipCommandKind.Respond && command.Message.AsSpan().StartsWith("SIP/2.0 2"u8))
            {
                return command;
            }
        }

        return null;
    }

    // The binding's expiry in the 200 (0 when the 200 lists it not: the registrar dropped it).
    private static int Granted(List<NameAddress> granted, string uri, int asked)
    {
        foreach (var binding in granted)
        {
            if (binding.Uri.ToString() == uri)
            {
                return Seconds(binding.Parameters["expires"]) ?? asked;
            }
        }

        return 0;
    }

    private static int? Seconds(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
}
