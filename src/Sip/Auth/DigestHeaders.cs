using System.Diagnostics.CodeAnalysis;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Sip.Auth;

/// <summary>Reads Digest challenges and credentials out of a parsed SIP message.</summary>
public static class DigestHeaders
{
    /// <summary>
    /// The Digest credentials for our realm in <paramref name="header"/> (Authorization or Proxy-Authorization).
    /// A request may carry credentials for several realms (RFC 3261 §22.3); lines that are for another realm,
    /// another scheme, or do not parse are passed over, so false means "challenge".
    /// </summary>
    public static bool TryGetCredentials(this SipMessage request, HeaderId header, string realm, [MaybeNullWhen(false)] out DigestCredentials credentials)
    {
        foreach (var value in request.Values(header))
        {
            if (Utf8Parsing.TryParse<DigestCredentials?>(value.Span, DigestCredentials.TryParse, out var parsed) && parsed?.Realm == realm)
            {
                credentials = parsed;
                return true;
            }
        }

        credentials = null;
        return false;
    }

    /// <summary>Every Digest challenge in <paramref name="header"/> (WWW-Authenticate or Proxy-Authenticate), in order.</summary>
    public static List<DigestChallenge> GetChallenges(this SipMessage response, HeaderId header)
    {
        var challenges = new List<DigestChallenge>();
        foreach (var value in response.Values(header))
        {
            if (Utf8Parsing.TryParse<DigestChallenge?>(value.Span, DigestChallenge.TryParse, out var challenge) && challenge is not null)
            {
                challenges.Add(challenge);
            }
        }

        return challenges;
    }
}
