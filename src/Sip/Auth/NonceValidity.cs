namespace CallControl.Sip.Auth;

/// <summary>What <see cref="NonceService.Validate"/> found.</summary>
public enum NonceValidity : byte
{
    /// <summary>Issued by a holder of our secret, for this realm, and still within its lifetime.</summary>
    Valid,

    /// <summary>Authentic but expired (or issued by a clock too far ahead): the challenge should say stale=true.</summary>
    Stale,

    /// <summary>Not one of ours: malformed, tampered with, signed with another secret, or for another realm.</summary>
    Invalid,
}
