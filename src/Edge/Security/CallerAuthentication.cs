using System.Diagnostics.CodeAnalysis;
using CallControl.Edge.Routing;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Security;

/// <summary>
/// Who may call from an untrusted source (RFC 3261 §22.3): an out-of-dialog request that would be routed (INVITE,
/// MESSAGE, SUBSCRIBE, REFER) must carry digest credentials of a subscriber in the edge's realm. Without them it gets a
/// 407 with the challenges (<see cref="DigestChallenger"/>: the registrar's stateless, expiring nonces), sent without a
/// transaction; with them, the edge asks the cluster (<see cref="Grains.ISubscriberAuthenticator"/>) before routing.
/// </summary>
public sealed class CallerAuthentication(DigestChallenger challenger, string? realm)
{
    /// <summary>True for a request an untrusted source must authenticate: out of dialog, and one that would be routed.</summary>
    public static bool Applies(SipMessage request)
        => request.To.Tag is null && request.Method is SipMethod.Invite or SipMethod.Message or SipMethod.Subscribe or SipMethod.Refer;

    /// <summary>The realm of the challenge: the configured one, or the From header's host (lower-cased).</summary>
    public string RealmOf(SipMessage request) => realm ?? request.From.Uri.Host.ToLowerInvariant();

    /// <summary>The credentials for our realm the request carries, if any (parsed; other realms' are passed over).</summary>
    public bool TryGetCredentials(SipMessage request, [MaybeNullWhen(false)] out DigestCredentials credentials)
        => request.TryGetCredentials(HeaderId.ProxyAuthorization, RealmOf(request), out credentials);

    /// <summary>The 407 that challenges <paramref name="request"/>; <paramref name="stale"/> after right credentials with an expired nonce.</summary>
    public byte[] Challenge(SipMessage request, bool stale = false)
    {
        var challenges = challenger.CreateHeaderValues(RealmOf(request), stale);
        var headers = new (HeaderId, string)[challenges.Count];
        for (var i = 0; i < challenges.Count; i++)
        {
            headers[i] = (HeaderId.ProxyAuthenticate, challenges[i]);
        }

        return EdgeResponses.For(request, 407, headers);
    }

    /// <summary>The identity the edge asserts for a caller who proved to be <paramref name="credentials"/>' user.</summary>
    public static string AssertedIdentity(DigestCredentials credentials) => $"sip:{credentials.Username}@{credentials.Realm}";
}
