using CallControl.Grains.Registrar;
using CallControl.Sip.Auth;
using Orleans.Concurrency;

namespace CallControl.Grains.Security;

/// <summary>
/// <see cref="ISubscriberAuthenticator"/>: verifies a caller's Proxy-Authorization against the subscriber's stored HA1
/// (RFC 3261 §22.3, RFC 7616), with the nonces every edge issues (<see cref="NonceService"/>). Holds no state.
/// </summary>
[StatelessWorker]
[GrainType("cc-subscriber-authenticator")]
public sealed class SubscriberAuthenticatorGrain(ISubscriberStore subscribers, DigestVerifier verifier) : Grain, ISubscriberAuthenticator
{
    /// <inheritdoc />
    public async Task<CallerVerdict> Authenticate(CallerAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!DigestCredentials.TryParse(attempt.Credentials, out var credentials))
        {
            return CallerVerdict.Invalid;
        }

        var subscriber = await subscribers.FindAsync(credentials.Username, attempt.Realm, CancellationToken.None);
        var algorithm = credentials.TryGetAlgorithm(out var named) ? named : DigestAlgorithm.Md5;
        var ha1 = subscriber is null ? null : algorithm.UsesMd5() ? subscriber.Ha1Md5 : subscriber.Ha1Sha256;
        if (ha1 is null)
        {
            // No such subscriber: the same answer as a wrong password, once the credentials are otherwise usable, so
            // that a guesser learns nothing about which names exist.
            return verifier.Verify(attempt.Method, credentials, attempt.Realm, new string('0', algorithm.UsesMd5() ? 32 : 64)) == DigestVerdict.Invalid ? CallerVerdict.Invalid : CallerVerdict.Wrong;
        }

        return verifier.Verify(attempt.Method, credentials, attempt.Realm, ha1) switch
        {
            DigestVerdict.Ok => CallerVerdict.Ok,
            DigestVerdict.Stale => CallerVerdict.Stale,
            DigestVerdict.Wrong => CallerVerdict.Wrong,
            _ => CallerVerdict.Invalid,
        };
    }
}
