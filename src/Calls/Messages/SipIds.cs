using System.Security.Cryptography;
using CallControl.Sip.Headers;

namespace CallControl.Calls;

/// <summary>Fresh identifiers: tags with the cryptographic randomness RFC 3261 §19.3 asks for, and RFC 3261 branches.</summary>
internal static class SipIds
{
    /// <summary>A From/To tag: 64 random bits as hex.</summary>
    public static string NewTag() => RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>A branch with the magic cookie (§8.1.1.7).</summary>
    public static string NewBranch() => ViaHeader.MagicCookie + RandomNumberGenerator.GetHexString(20, lowercase: true);
}
