namespace CallControl.Sip.Auth;

/// <summary>
/// The digest algorithms we compute: RFC 7616 §6.1's MD5 and SHA-256 and their session variants, as
/// RFC 8760 §2 applies them to SIP. SHA-512-256 is not supported (few SIP stacks offer it).
/// </summary>
public enum DigestAlgorithm : byte
{
    /// <summary>"MD5": the RFC 3261 default, kept for the many SIP devices that know nothing else.</summary>
    Md5,

    /// <summary>"MD5-sess": HA1 is re-hashed with the nonce and cnonce (RFC 7616 §3.4.2).</summary>
    Md5Sess,

    /// <summary>"SHA-256": what RFC 8760 §2.4 says to offer first.</summary>
    Sha256,

    /// <summary>"SHA-256-sess".</summary>
    Sha256Sess,
}

/// <summary>Algorithm names as they go on the wire, and the lookup from a wire token.</summary>
public static class DigestAlgorithms
{
    private static readonly string[] Names = ["MD5", "MD5-sess", "SHA-256", "SHA-256-sess"];

    /// <summary>The algorithm token, e.g. "SHA-256".</summary>
    public static string Name(this DigestAlgorithm algorithm) => Names[(int)algorithm];

    /// <summary>True for the -sess variants, whose HA1 also depends on the nonce and cnonce.</summary>
    public static bool IsSession(this DigestAlgorithm algorithm) => algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess;

    /// <summary>True when the hash function is MD5 (which is what a stored HA1 must have been made with).</summary>
    public static bool UsesMd5(this DigestAlgorithm algorithm) => algorithm is DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess;

    /// <summary>How many hex digits a digest (HA1, response) of this algorithm has.</summary>
    public static int HexLength(this DigestAlgorithm algorithm) => algorithm.UsesMd5() ? 32 : 64;

    /// <summary>
    /// Reads an algorithm parameter. Absent (null) means MD5 (RFC 7616 §3.3; RFC 3261 §20.44). Names compare
    /// case-insensitively because devices send "md5" and "sha-256" in the wild.
    /// </summary>
    public static bool TryParse(string? name, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (name is null)
        {
            return true;
        }

        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(name, Names[i], StringComparison.OrdinalIgnoreCase))
            {
                algorithm = (DigestAlgorithm)i;
                return true;
            }
        }

        return false;
    }
}
