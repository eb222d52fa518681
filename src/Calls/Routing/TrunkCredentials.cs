using CallControl.Sip.Auth;

namespace CallControl.Grains.Routing;

/// <summary>
/// What a route's trunk asks us to prove when it challenges (docs/interop.md, "Outbound authentication"): a user name
/// and either the password or the digest HA1 (H(username:realm:password)), and the realm they are for (none: any realm
/// the trunk names). Kept where the route is kept (table <c>route</c>, <c>CallControl:Routing:Routes:N:Auth</c>) and
/// read by the host when a challenge comes; never part of a call's state, CDR or log.
/// </summary>
public sealed record TrunkCredentials(string Username, string? Password, string? Ha1, string? Realm)
{
    /// <summary>
    /// What is wrong, each as "Field: problem" (Username, Password, Ha1, Realm: the configuration's key names). Values
    /// are never quoted in a problem, so a secret cannot reach a log or a terminal through one.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Username))
        {
            problems.Add("Username: outbound authentication needs a user name");
        }
        else if (HasControl(Username))
        {
            problems.Add("Username: holds a control character");
        }

        var password = !string.IsNullOrEmpty(Password);
        var ha1 = !string.IsNullOrEmpty(Ha1);
        if (password == ha1)
        {
            problems.Add(password ? "Password: give the password or the HA1, not both" : "Password: give the password or the HA1");
        }

        if (ha1 && !IsHa1(Ha1!))
        {
            problems.Add("Ha1: must be 32 (MD5) or 64 (SHA-256) hexadecimal digits");
        }

        if (ha1 && string.IsNullOrWhiteSpace(Realm))
        {
            problems.Add("Realm: an HA1 is made for one realm, which must be given with it");
        }

        if (Realm is { } realm && HasControl(realm))
        {
            problems.Add("Realm: holds a control character");
        }

        return problems;
    }

    /// <summary>
    /// The first of <paramref name="challenges"/> (in the trunk's order of preference) these credentials can answer:
    /// its realm is ours (or we have none), its algorithm and qop are ones <see cref="DigestClient"/> computes, and an HA1
    /// is of its hash function (an MD5 HA1 cannot answer SHA-256). False when none is.
    /// </summary>
    public bool TryChoose(IEnumerable<DigestChallenge> challenges, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out DigestChallenge chosen)
        => DigestClient.TryChoose(challenges.Where(Fits), out chosen);

    /// <summary>The Authorization (or Proxy-Authorization) value for <paramref name="challenge"/> (one <see cref="TryChoose"/> picked).</summary>
    public DigestCredentials Answer(DigestChallenge challenge, string method, string digestUri)
        => Ha1 is { Length: > 0 } ha1
            ? DigestClient.AnswerWithHa1(challenge, Username, ha1, method, digestUri)
            : DigestClient.Answer(challenge, Username, Password ?? "", method, digestUri);

    /// <summary>Never the secret: records print every property, and a route or its credentials may be logged whole.</summary>
    public override string ToString() => $"TrunkCredentials {{ Username = {Username}, Realm = {Realm ?? "(any)"}, Secret = {(Ha1 is { Length: > 0 } ? "HA1" : "password")} }}";

    private bool Fits(DigestChallenge challenge)
    {
        if (Realm is { Length: > 0 } realm && !string.Equals(realm, challenge.Realm, StringComparison.Ordinal))
        {
            return false;
        }

        return Ha1 is not { Length: > 0 } ha1 || (challenge.TryGetAlgorithm(out var algorithm) && algorithm.HexLength() == ha1.Length);
    }

    private static bool IsHa1(string value) => value.Length is 32 or 64 && IsHex(value);

    private static bool IsHex(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasControl(string value) => value.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || value.Contains('\u007f', StringComparison.Ordinal);
}
