using System.Globalization;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Registration;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Registrar;

/// <summary>What a REGISTER does to an address of record's bindings: the answer, the bindings after it, and whether they must be stored.</summary>
/// <param name="Status">200, or the error (400, 423).</param>
/// <param name="Reason">A reason phrase of our own, or null for the standard one.</param>
/// <param name="Headers">Headers of the answer (Contact list, Date, Require, Path, Min-Expires).</param>
/// <param name="Bindings">The bindings after the REGISTER (null when it failed: they stay as they were).</param>
/// <param name="Store">True when something a reactivated registrar must know changed: a binding added, changed or
/// removed, or one outgrew its stored expiry. A refresh of an unchanged binding is not.</param>
public sealed record RegistrationOutcome(int Status, string? Reason, (HeaderId Id, string Value)[] Headers, List<RegistrarBinding>? Bindings, bool Store);

/// <summary>
/// RFC 3261 §10.3 steps 6–8 with flows: RFC 5626 outbound (a binding per <c>+sip.instance</c> and <c>reg-id</c>),
/// RFC 3327 Path, NAT (a binding whose Contact or Via is not its source is reached through its flow, for at most
/// <see cref="RegistrarOptions.NatExpires"/> over UDP), and the stored expiry kept ahead so that refreshes are not
/// written (<see cref="RegistrarOptions.StoredExpiryAhead"/>). Plain code: the registrar grain authenticates and stores.
/// </summary>
public static class RegistrationRules
{
    /// <summary>What a binding gets when neither its Contact nor the request says (RFC 3261 §10.2.1.1 leaves it to the registrar).</summary>
    public static readonly TimeSpan DefaultExpires = TimeSpan.FromHours(1);

    /// <summary>The shortest registration taken (RFC 3261 §10.3 step 7: shorter gets 423 with Min-Expires).</summary>
    public static readonly TimeSpan MinimumExpires = TimeSpan.FromSeconds(60);

    /// <summary>The longest registration granted.</summary>
    public static readonly TimeSpan MaximumExpires = TimeSpan.FromDays(1);

    /// <summary>Applies <paramref name="register"/> (authenticated, for this AOR) from <paramref name="source"/> through <paramref name="edge"/>.</summary>
    public static RegistrationOutcome Apply(IEnumerable<RegistrarBinding> current, SipMessage register, SipPeer source, EdgeInfo? edge, DateTimeOffset now, RegistrarOptions options)
    {
        ArgumentNullException.ThrowIfNull(register);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var contacts = register.Addresses(HeaderId.Contact);
        var headerExpires = register.GetHeader(HeaderId.Expires) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var bindings = current.Where(b => b.ExpiresAt > now).ToList();
        var store = false;
        if (contacts.Exists(c => c.IsWildcard))
        {
            if (contacts.Count != 1 || headerExpires != TimeSpan.Zero)
            {
                return Failed(400, "Bad Request - Contact * Needs Expires 0 Alone"); // §10.3 step 6
            }

            store = bindings.Count > 0;
            bindings.Clear();
        }

        // RFC 5626 §6: outbound applies to a phone that supports it; it may have one flow per reg-id in a REGISTER.
        var outbound = Supports(register, "outbound");
        if (outbound && contacts.Count(c => c.Parameters.Contains("reg-id")) > 1)
        {
            return Failed(400, "Bad Request - More Than One reg-id");
        }

        var path = register.GetHeaders(HeaderId.Path);
        var usedOutbound = false;
        foreach (var contact in contacts.Where(c => !c.IsWildcard))
        {
            var expires = contact.Parameters["expires"] is { } p && int.TryParse(p, CultureInfo.InvariantCulture, out var own) ? TimeSpan.FromSeconds(own) : headerExpires ?? DefaultExpires;
            if (expires > TimeSpan.Zero && expires < MinimumExpires)
            {
                return Failed(423, null, (HeaderId.MinExpires, Seconds(MinimumExpires)));
            }

            var binding = NewBinding(register, contact, source, edge, path, outbound);
            usedOutbound |= binding.RegId != 0;
            var existing = bindings.FindIndex(b => SameBinding(b, binding));
            if (existing >= 0 && bindings[existing].CallId == register.CallId && bindings[existing].CSeq >= register.CSeq.Number)
            {
                continue; // an older or repeated REGISTER from the same client: it changes nothing (§10.3 step 7)
            }

            if (expires <= TimeSpan.Zero)
            {
                if (existing >= 0)
                {
                    bindings.RemoveAt(existing);
                    store = true;
                }

                continue;
            }

            var granted = expires > MaximumExpires ? MaximumExpires : expires;
            if (binding.ThroughFlow && binding.RegId == 0 && source.Transport == SipTransportKind.Udp && options.NatExpires > TimeSpan.Zero && granted > options.NatExpires)
            {
                granted = options.NatExpires; // a NATed phone's own refreshes keep its NAT binding open too
            }

            binding = binding with { ExpiresAt = now + granted };
            if (existing >= 0 && Unchanged(bindings[existing], binding) && binding.ExpiresAt <= bindings[existing].StoredUntil)
            {
                bindings[existing] = binding with { StoredUntil = bindings[existing].StoredUntil }; // a refresh: not written
                continue;
            }

            if (existing >= 0)
            {
                bindings.RemoveAt(existing);
            }

            bindings.Add(binding with { StoredUntil = binding.ExpiresAt + options.StoredExpiryAhead });
            store = true;
        }

        var headers = new List<(HeaderId, string)>(bindings.Count + 3);
        headers.AddRange(bindings.Select(b => (HeaderId.Contact, $"{b.SentContact ?? $"<{b.Contact}>"};expires={Seconds(b.ExpiresAt - now)}")));
        if (usedOutbound)
        {
            headers.Add((HeaderId.Require, "outbound")); // RFC 5626 §6: the registrar applied outbound
        }

        if (path.Count > 0 && Supports(register, "path"))
        {
            headers.AddRange(path.Select(v => (HeaderId.Path, v))); // RFC 3327 §5.3: echoed to a UA that supports it
        }

        headers.Add((HeaderId.Date, now.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture)));
        return new RegistrationOutcome(200, null, [.. headers], bindings, store);
    }

    /// <summary>True when the REGISTER names <paramref name="option"/> in Supported (or its compact form k).</summary>
    public static bool Supports(SipMessage message, string option)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var value in message.GetHeaders(HeaderId.Supported))
        {
            foreach (var token in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (string.Equals(token, option, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static RegistrarBinding NewBinding(SipMessage register, NameAddress contact, SipPeer source, EdgeInfo? edge, List<string> path, bool outbound)
    {
        var instance = contact.Parameters["+sip.instance"];
        var regId = outbound && instance is not null && int.TryParse(contact.Parameters["reg-id"], CultureInfo.InvariantCulture, out var id) && id > 0 ? id : 0;
        var sent = new HeaderParameters();
        foreach (var (name, value) in contact.Parameters.Items.Where(p => !string.Equals(p.Key, "expires", StringComparison.OrdinalIgnoreCase)))
        {
            sent.Set(name, value);
        }

        var behindNat = NatDetection.IsBehindNat(register, contact, source.Transport, source.Host, source.Port);
        return new RegistrarBinding(contact.Uri.ToString(), default, register.CallId, register.CSeq.Number, source)
        {
            Edge = edge,
            SentContact = new NameAddress(contact.Uri, contact.DisplayName, sent).ToString(),
            Instance = instance,
            RegId = regId,
            Path = path.Count > 0 ? [.. path] : null,
            ThroughFlow = regId != 0 || behindNat,
        };
    }

    /// <summary>
    /// The binding a Contact updates: under outbound the one of the same instance and reg-id (a new flow replaces the
    /// old, RFC 5626 §6); with an instance the one of that instance (RFC 5627); else the one of the same Contact URI.
    /// </summary>
    private static bool SameBinding(RegistrarBinding held, RegistrarBinding incoming) => incoming switch
    {
        { RegId: not 0 } => held.Instance == incoming.Instance && held.RegId == incoming.RegId,
        { Instance: not null } => held.Instance == incoming.Instance && held.RegId == 0,
        _ => held.Instance is null && held.Contact == incoming.Contact,
    };

    /// <summary>Nothing a reactivated registrar needs differs: the same Contact as sent, flow, edge and Path (Call-ID and CSeq only order REGISTERs).</summary>
    private static bool Unchanged(RegistrarBinding held, RegistrarBinding incoming)
        => !held.Unreachable
           && held.Contact == incoming.Contact
           && held.SentContact == incoming.SentContact
           && held.Source == incoming.Source
           && held.Edge == incoming.Edge
           && held.ThroughFlow == incoming.ThroughFlow
           && (held.Path ?? []).SequenceEqual(incoming.Path ?? []);

    private static RegistrationOutcome Failed(int status, string? reason, params (HeaderId Id, string Value)[] headers) => new(status, reason, headers, null, false);

    private static string Seconds(TimeSpan span) => ((int)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
