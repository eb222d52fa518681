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
/// all characters of RFC 3261's "word". The secrets are a key ring: the current one encodes; the previous
/// ones (<c>CallControl:Cluster:PreviousSecrets</c>) only decode, so calls set up before a rotation still
/// find their grain (docs/operations.md, "Rotate the cluster secret").
/// </remarks>
public sealed class CallIdCodec : IDisposable
{
    private const string Prefix = "b2";
    private const int NonceBytes = 12;
    private const int TagBytes = 12;
    private readonly Key _current;
    private readonly Key[] _previous;

    /// <summary>
    /// Creates the codec from the cluster secret (any length; a key is derived with HKDF-SHA256), and the secrets it
    /// replaced, newest first, which are still accepted for decoding.
    /// </summary>
    public CallIdCodec(string clusterSecret, IEnumerable<string>? previousSecrets = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterSecret);
        _current = new Key(clusterSecret);
        var previous = new List<Key>();
        foreach (var secret in previousSecrets ?? [])
        {
            ArgumentException.ThrowIfNullOrEmpty(secret, nameof(previousSecrets));
            previous.Add(new Key(secret));
        }

        _previous = [.. previous];
    }

    /// <summary>The callee leg's Call-ID for a caller leg's Call-ID, under the current secret. Different on every call (random nonce).</summary>
    public string Encode(string callerCallId)
    {
        var plain = Encoding.UTF8.GetBytes(callerCallId);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        _current.Aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length));
        return Prefix + Base64Url.EncodeToString(sealedBytes);
    }

    /// <summary>
    /// The caller leg's Call-ID when <paramref name="callId"/> is a callee leg's made by this cluster under the current
    /// or a previous secret; else null. One decryption when the current secret made it (every call after a rotation).
    /// </summary>
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
        if (_current.TryOpen(sealedBytes, cipherLength, plain))
        {
            return Encoding.UTF8.GetString(plain);
        }

        foreach (var key in _previous)
        {
            if (key.TryOpen(sealedBytes, cipherLength, plain))
            {
                return Encoding.UTF8.GetString(plain);
            }
        }

        return null; // not ours: a caller's own Call-ID that happens to look like one, or one made under a dropped secret
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _current.Dispose();
        foreach (var key in _previous)
        {
            key.Dispose();
        }
    }

    /// <summary>One secret's AES-GCM key, an instance per thread (AesGcm is not thread-safe).</summary>
    private sealed class Key : IDisposable
    {
        private readonly ThreadLocal<AesGcm> _aes;

        public Key(string secret)
        {
            var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "callcontrol/call-id/v1"u8.ToArray());
            _aes = new ThreadLocal<AesGcm>(() => new AesGcm(key, TagBytes), trackAllValues: true);
        }

        public AesGcm Aes => _aes.Value!;

        /// <summary>Decrypts nonce ‖ ciphertext ‖ tag into <paramref name="plain"/>; false when the tag says another key sealed it.</summary>
        public bool TryOpen(ReadOnlySpan<byte> sealedBytes, int cipherLength, Span<byte> plain)
        {
            try
            {
                Aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes.Slice(NonceBytes, cipherLength), sealedBytes[(NonceBytes + cipherLength)..], plain);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            foreach (var aes in _aes.Values)
            {
                aes.Dispose();
            }

            _aes.Dispose();
        }
    }
}
