namespace CallControl.Grains;

/// <summary>What checking a caller's digest credentials came to (RFC 7616 §3.3).</summary>
[GenerateSerializer]
public enum CallerVerdict
{
    /// <summary>The credentials are right: the caller is the subscriber it named.</summary>
    Ok,

    /// <summary>Right, but the nonce expired: challenge again with stale=true.</summary>
    Stale,

    /// <summary>Not usable (another realm or algorithm, a forged nonce): challenge again.</summary>
    Invalid,

    /// <summary>Wrong password, or no such subscriber: refused, and counted as a failed attempt.</summary>
    Wrong,
}

/// <summary>A caller's attempt to authenticate a request: its method and its Proxy-Authorization for our realm.</summary>
/// <param name="Method">The request's method.</param>
/// <param name="Credentials">The Proxy-Authorization value for <paramref name="Realm"/>, as the caller sent it.</param>
/// <param name="Realm">The realm the edge challenged in.</param>
[GenerateSerializer, Immutable, Alias("cc.caller-attempt")]
public sealed record CallerAttempt([property: Id(0)] string Method, [property: Id(1)] string Credentials, [property: Id(2)] string Realm);

/// <summary>
/// Checks callers' digest credentials against the subscriber store (RFC 3261 §22.3): what an edge asks before it
/// routes an out-of-dialog request from an untrusted source. A stateless worker: it holds nothing, runs on the silo
/// the edge reaches, and scales with the load.
/// </summary>
[Alias("cc.subscriber-authenticator")]
public interface ISubscriberAuthenticator : IGrainWithIntegerKey
{
    /// <summary>The verdict on <paramref name="attempt"/>.</summary>
    [Alias("authenticate")]
    Task<CallerVerdict> Authenticate(CallerAttempt attempt);
}
