using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace CallControl.Sip.Auth;

/// <summary>H(a:b:...) of RFC 7616 §3.4: the parts, joined by ':', UTF-8 encoded, hashed, in lower-case hex.</summary>
internal static class DigestHash
{
    private const int StackLimit = 512;

    public static string Hex(DigestAlgorithm algorithm, params ReadOnlySpan<string> parts)
    {
        var length = parts.Length - 1;
        foreach (var part in parts)
        {
            length += Encoding.UTF8.GetByteCount(part);
        }

        byte[]? rented = null;
        var input = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        var written = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                input[written++] = (byte)':';
            }

            written += Encoding.UTF8.GetBytes(parts[i], input[written..]);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var size = algorithm.UsesMd5() ? HashMd5(input[..written], digest) : SHA256.HashData(input[..written], digest);

        // For HA1 the input holds the password: wipe it before the buffer goes back to the pool.
        CryptographicOperations.ZeroMemory(input[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToHexStringLower(digest[..size]);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "RFC 8760 keeps MD5 digest for interoperability with SIP devices that support nothing else; SHA-256 is offered first.")]
    private static int HashMd5(ReadOnlySpan<byte> input, Span<byte> digest) => MD5.HashData(input, digest);
}
