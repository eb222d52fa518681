using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Auth;

/// <summary>
/// Issues and checks nonces that carry their own issue time and integrity, so any edge holding the shared
/// secret verifies a nonce another edge issued, with no shared state:
/// nonce = base64url(issued (8 bytes, big-endian Unix ms) ‖ random (12 bytes) ‖ HMAC-SHA256(secret, issued ‖ random ‖ realm)[..16]).
/// The realm is signed so a nonce from one realm is useless in another. Nonces are issued under the current
/// secret and accepted under it or a previous one (<see cref="DigestAuthOptions.PreviousNonceSecrets"/>), so a
/// secret rotation does not make every client re-authenticate. Thread-safe.
/// </summary>
public sealed class NonceService
{
    private const int TimestampLength = 8;
    private const int RandomLength = 12;
    private const int TagLength = 16; // half of HMAC-SHA256: 128 bits is beyond guessing within a nonce lifetime
    private const int PayloadLength = TimestampLength + RandomLength;
    private const int NonceLength = PayloadLength + TagLength;
    private const int StackLimit = 256;

    private static readonly int EncodedLength = Base64Url.GetEncodedLength(NonceLength);

    private readonly byte[] _secret;
    private readonly byte[][] _previousSecrets;
    private readonly long _lifetimeMs;
    private readonly long _skewMs;
    private readonly TimeProvider _time;

    /// <summary>Creates the service; invalid options throw here rather than produce weak nonces later.</summary>
    /// <exception cref="OptionsValidationException">The options fail <see cref="DigestAuthOptionsValidator"/>.</exception>
    public NonceService(IOptions<DigestAuthOptions> options, TimeProvider time)
    {
        var value = options.Value;
        var validation = new DigestAuthOptionsValidator().Validate(Options.DefaultName, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(DigestAuthOptions), validation.Failures);
        }

        _secret = [.. value.NonceSecret]; // a copy: later changes to the options object do not alter the key
        _previousSecrets = [.. value.PreviousNonceSecrets.Select(secret => (byte[])[.. secret])];
        _lifetimeMs = (long)value.NonceLifetime.TotalMilliseconds;
        _skewMs = (long)value.ClockSkew.TotalMilliseconds;
        _time = time;
    }

    /// <summary>A fresh nonce for the realm.</summary>
    public string Issue(string realm)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(nonce.Slice(TimestampLength, RandomLength));
        ComputeTag(_secret, nonce[..PayloadLength], realm, nonce[PayloadLength..]);
        return Base64Url.EncodeToString(nonce);
    }

    /// <summary>Checks a nonce a client echoed for the realm. Never throws on client input.</summary>
    public NonceValidity Validate(string nonce, string realm)
    {
        Span<byte> bytes = stackalloc byte[NonceLength];
        // The OperationStatus overload: TryDecodeFromChars throws on characters outside the alphabet.
        if (nonce.Length != EncodedLength
            || Base64Url.DecodeFromChars(nonce, bytes, out _, out var written) != OperationStatus.Done || written != NonceLength)
        {
            return NonceValidity.Invalid;
        }

        if (!IsSigned(bytes, realm))
        {
            return NonceValidity.Invalid;
        }

        var age = _time.GetUtcNow().ToUnixTimeMilliseconds() - BinaryPrimitives.ReadInt64BigEndian(bytes);
        return age > _lifetimeMs || age < -_skewMs ? NonceValidity.Stale : NonceValidity.Valid;
    }

    /// <summary>True when the current secret signed the nonce (one HMAC, the common case), or a previous one did.</summary>
    private bool IsSigned(ReadOnlySpan<byte> nonce, string realm)
    {
        Span<byte> expected = stackalloc byte[TagLength];
        ComputeTag(_secret, nonce[..PayloadLength], realm, expected);
        if (CryptographicOperations.FixedTimeEquals(expected, nonce[PayloadLength..]))
        {
            return true;
        }

        foreach (var previous in _previousSecrets)
        {
            ComputeTag(previous, nonce[..PayloadLength], realm, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, nonce[PayloadLength..]))
            {
                return true;
            }
        }

        return false;
    }

    private static void ComputeTag(byte[] secret, ReadOnlySpan<byte> payload, string realm, Span<byte> tag)
    {
        var length = PayloadLength + Encoding.UTF8.GetByteCount(realm);
        byte[]? rented = null;
        var input = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        payload.CopyTo(input);
        var written = PayloadLength + Encoding.UTF8.GetBytes(realm, input[PayloadLength..]);

        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, input[..written], mac);
        mac[..TagLength].CopyTo(tag);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
