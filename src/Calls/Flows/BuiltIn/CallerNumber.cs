using CallControl.Sip.Headers;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>Who is calling, as screening and prepaid accounts see it.</summary>
internal static class CallerNumber
{
    /// <summary>The user the caller's From names is "anonymous" (RFC 3323 §4.1.1.3), or From names none.</summary>
    public static bool IsAnonymous(CallFacts call)
        => string.IsNullOrEmpty(call.CallerUser) || string.Equals(call.CallerUser, "anonymous", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The calling number: the user of P-Asserted-Identity when a trusted peer asserted one (for tel: the number),
    /// else the user of From unless that is anonymous; without %-escapes and user parameters. Null: no number.
    /// </summary>
    public static string? Of(CallFacts call)
    {
        if (call.AssertedIdentity is { } asserted && SipUri.TryParse(asserted, out var uri) && Clean(uri.User) is { } assertedUser)
        {
            return assertedUser;
        }

        return IsAnonymous(call) ? null : Clean(call.CallerUser);
    }

    private static string? Clean(string? user)
    {
        if (string.IsNullOrEmpty(user))
        {
            return null;
        }

        var semicolon = user.IndexOf(';', StringComparison.Ordinal);
        var number = Uri.UnescapeDataString(semicolon >= 0 ? user[..semicolon] : user);
        return number.Length == 0 ? null : number;
    }
}
