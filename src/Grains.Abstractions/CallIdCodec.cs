using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace CallControl.Grains;

/// <summary>
/// Derives the callee leg's Call-ID from the caller leg's, and back, under a cluster secret: the callee
/// sees none of the caller's identifiers (topology hiding), yet any edge maps a callee-leg message to its
/// dialog grain without a shared lookup table (ARCHITECTURE.md, step 2).
/// </summary>
/// <remarks>
/// AES-GCM with a random nonce: the caller's Call-ID is encrypted, and the tag authenticates it, so a
/// Call-ID that decodes was made by this cluster. Output: "b2" + base64url(nonce ‖ ciphertext ‖ tag),
/// all characters of RFC 3261's "word".
/// </remarks>
public sealed class CallIdCodec : IDisposable
{
    private const string Prefix = "b2";
    private const int NonceBytes = 12;
    private const int TagBytes = 12;
    private readonly byte[] _key;
    private readonly ThreadLocal<AesGcm> _aes;

    /// <summary>Creates the codec from the cluster secret (any length; a key is derived with HKDF-SHA256).</summary>
    public CallIdCodec(string clusterSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterSecret);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(clusterSecret), 32, info: "callcontrol/call-id/v1"u8.ToArray());
        _aes = new ThreadLocal<AesGcm>(() => new AesGcm(_key, TagBytes), trackAllValues: true);
    }

    /// <summary>The callee leg's Call-ID for a caller leg's Call-ID. Different on every call (random nonce).</summary>
    public string Encode(string callerCallId)
    {
        var plain = Encoding.UTF8.GetBytes(callerCallId);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        _aes.Value!.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>The caller leg's Call-ID when <paramref name="callId"/> is a callee leg's made by this cluster; else null.</summary>
    public string? TryDecode(string callId)
    {
        if (!callId.StartsWith(Prefix, StringComparison.Ordinal) || callId.Length < Prefix.Length + 32)
        {
            return null;
        }

        var encoded = callId.AsSpan(Prefix.Length);
        var maxLength = Base64Url.GetMaxDecodedLength(encoded.Length);
        var buffer = maxLength <= 512 ? stackalloc byte[maxLength] : new byte[maxLength];
        if (!Base64Url.TryDecodeFromChars(encoded, buffer, out var length) || length < NonceBytes + TagBytes)
        {
            return null;
        }

        var sealedBytes = buffer[..length];
        var cipherLength = length - NonceBytes - TagBytes;
        var plain = cipherLength <= 512 ? stackalloc byte[cipherLength] : new byte[cipherLength];
        try
        {
            _aes.Value!.Decrypt(sealedBytes[..NonceBytes], sealedBytes.Slice(NonceBytes, cipherLength), sealedBytes[(NonceBytes + cipherLength)..], plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null; // not ours: a caller's own Call-ID that happens to look like one
        }

        return Encoding.UTF8.GetString(plain);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var aes in _aes.Values)
        {
            aes.Dispose();
        }

        _aes.Dispose();
    }
}
