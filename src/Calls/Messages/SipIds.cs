using System.Security.Cryptography;
using CallControl.Sip.Headers;

namespace CallControl.Calls;

/// <summary>Fresh identifiers: tags with the cryptographic randomness RFC 3261 §19.3 asks for, and RFC 3261 branches.</summary>
internal static class SipIds
{
    /// <summary>What every tag of ours starts with (<see cref="IsOurs"/>).</summary>
    private const string TagMark = "cc";

    /// <summary>A From/To tag: <see cref="TagMark"/> and 64 random bits as hex.</summary>
    public static string NewTag() => TagMark + RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>
    /// True for a tag this B2BUA could have made: a request that carries one was sent in a dialog of ours, even if its
    /// call has been forgotten since (a late retransmission after the silo that ended it died).
    /// </summary>
    public static bool IsOurs(string tag) => tag.Length == TagMark.Length + 16 && tag.StartsWith(TagMark, StringComparison.Ordinal);

    /// <summary>A branch with the magic cookie (§8.1.1.7).</summary>
    public static string NewBranch() => ViaHeader.MagicCookie + RandomNumberGenerator.GetHexString(20, lowercase: true);
}
