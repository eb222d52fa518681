using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// How a route rewrites the identity headers of the INVITE toward its callee legs (docs/interop.md, "Rewriting From,
/// To, P-Asserted-Identity and Privacy"). Each null member leaves its header as it crosses. Persisted in the call's
/// state (<see cref="RoutePolicy"/>): ids are append only.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.identity-rewrite")]
public sealed record IdentityRewrite
{
    /// <summary>The value of <see cref="PAssertedIdentity"/> that asserts the (rewritten, normalised) From URI.</summary>
    public const string FromIdentity = "from";

    /// <summary>The value of <see cref="Privacy"/> that removes the header.</summary>
    public const string Remove = "remove";

    /// <summary>The From URI's user on the callee legs (the trunk's account number, say); null: the caller's.</summary>
    [Id(0)] public string? FromUser { get; init; }

    /// <summary>The From display name on the callee legs; null: the caller's.</summary>
    [Id(1)] public string? FromDisplay { get; init; }

    /// <summary>The To URI's user on the callee legs; null: the caller's To.</summary>
    [Id(2)] public string? ToUser { get; init; }

    /// <summary>
    /// The P-Asserted-Identity on the callee legs (RFC 3325): a URI or name-addr to assert, or <see cref="FromIdentity"/>
    /// for the From's URI; it replaces any the caller sent. Null: the caller's crosses (as the header policy says).
    /// </summary>
    [Id(3)] public string? PAssertedIdentity { get; init; }

    /// <summary>The Privacy header on the callee legs (RFC 3323: <c>id</c>, <c>none</c>, ...), or <see cref="Remove"/>; null: the caller's crosses.</summary>
    [Id(4)] public string? Privacy { get; init; }

    /// <summary>True when nothing is rewritten.</summary>
    public bool IsEmpty => FromUser is null && FromDisplay is null && ToUser is null && PAssertedIdentity is null && Privacy is null;

    /// <summary>The P-Asserted-Identity value to write for a From of <paramref name="from"/>, or null when the rewrite sets none.</summary>
    public string? AssertedIdentity(SipUri from)
        => PAssertedIdentity switch
        {
            null => null,
            FromIdentity => $"<{Identity(from)}>",
            var value when value.StartsWith('<') || value.Contains('"', StringComparison.Ordinal) => value,
            var value => $"<{value}>",
        };

    /// <summary>What is wrong, each as "Field: problem" (FromUser, FromDisplay, ToUser, PAssertedIdentity, Privacy: the configuration's key names).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (FromUser is { } fromUser && !IsUser(fromUser))
        {
            problems.Add($"FromUser: '{fromUser}' is not the user part of a SIP URI");
        }

        if (ToUser is { } toUser && !IsUser(toUser))
        {
            problems.Add($"ToUser: '{toUser}' is not the user part of a SIP URI");
        }

        if (FromDisplay is { } display && (display.Length == 0 || display.AsSpan().IndexOfAny("\"\\\r\n") >= 0 || display.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0))
        {
            problems.Add("FromDisplay: a display name is some text without quotes, backslashes or control characters");
        }

        if (PAssertedIdentity is { } asserted && asserted != FromIdentity
            && !(NameAddress.TryParse(asserted.StartsWith('<') || asserted.Contains('"', StringComparison.Ordinal) ? asserted : $"<{asserted}>", out var address) && address.Uri.Scheme is "sip" or "sips" or "tel"))
        {
            problems.Add($"PAssertedIdentity: '{asserted}' is not a sip:, sips: or tel: URI (or '{FromIdentity}', the From's)");
        }

        if (Privacy is { } privacy && privacy != Remove && !IsPrivacy(privacy))
        {
            problems.Add($"Privacy: '{privacy}' is not a list of RFC 3323 values (header, session, user, none, critical, id; separated by ';'), or '{Remove}'");
        }

        return problems;
    }

    // The From's user at its host: an identity, not an address (no port, no parameters); a tel: URI as it is.
    private static string Identity(SipUri from)
        => !from.IsSip ? from.ToString() : from.User is null ? $"{from.Scheme}:{from.Host}" : $"{from.Scheme}:{from.User}@{from.Host}";

    // RFC 3261 §25.1: user = 1*( unreserved / escaped / user-unreserved ).
    private static bool IsUser(string user)
    {
        if (user.Length == 0)
        {
            return false;
        }

        foreach (var c in user)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-_.!~*'()%&=+$,;?/".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrivacy(string privacy)
        => privacy.Split(';', StringSplitOptions.TrimEntries).All(v => v is "header" or "session" or "user" or "none" or "critical" or "id");
}
