using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CallControl.Media.Bencode;

/// <summary>
/// Decodes one bencode document. Byte strings reference the input (no copies); nesting, string lengths and the number
/// of values are bounded by <see cref="BencodeLimits"/>, so malformed or hostile input ends in a
/// <see cref="BencodeFormatException"/>, never a crash or an allocation larger than the input.
/// Dictionaries need not be sorted (rtpengine's replies are not), but a key may appear only once.
/// </summary>
public ref struct BencodeReader
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly ReadOnlySpan<byte> _input;
    private readonly BencodeLimits _limits;
    private int _position;
    private int _values;

    private BencodeReader(ReadOnlyMemory<byte> input, BencodeLimits limits)
    {
        _memory = input;
        _input = input.Span;
        _limits = limits;
    }

    /// <summary>Decodes <paramref name="input"/>, which must hold exactly one value.</summary>
    public static BencodeValue Decode(ReadOnlyMemory<byte> input, BencodeLimits? limits = null)
    {
        var reader = new BencodeReader(input, limits ?? BencodeLimits.Default);
        var value = reader.ReadValue(0);
        if (reader._position != input.Length)
        {
            Fail(BencodeError.TrailingBytes, reader._position);
        }

        return value;
    }

    private BencodeValue ReadValue(int depth)
    {
        if (++_values > _limits.MaxValues)
        {
            Fail(BencodeError.TooManyValues, _position);
        }

        switch (Peek())
        {
            case (byte)'i':
                return new BencodeInteger(ReadInteger());
            case (byte)'l':
                return ReadList(depth + 1);
            case (byte)'d':
                return ReadDictionary(depth + 1);
            case >= (byte)'0' and <= (byte)'9':
                return new BencodeString(ReadBytes());
            default:
                Fail(BencodeError.UnexpectedByte, _position);
                return null;
        }
    }

    private BencodeList ReadList(int depth)
    {
        CheckDepth(depth);
        _position++; // 'l'
        var items = new List<BencodeValue>();
        while (Peek() != (byte)'e')
        {
            items.Add(ReadValue(depth));
        }

        _position++;
        return new BencodeList(items);
    }

    private BencodeDictionary ReadDictionary(int depth)
    {
        CheckDepth(depth);
        _position++; // 'd'
        var entries = new Dictionary<string, BencodeValue>(StringComparer.Ordinal);
        while (Peek() != (byte)'e')
        {
            var at = _position;
            if (Peek() is < (byte)'0' or > (byte)'9')
            {
                Fail(BencodeError.KeyNotString, at);
            }

            var key = Encoding.UTF8.GetString(ReadBytes().Span);
            if (!entries.TryAdd(key, ReadValue(depth)))
            {
                Fail(BencodeError.DuplicateKey, at);
            }
        }

        _position++;
        return new BencodeDictionary(entries);
    }

    private long ReadInteger()
    {
        var start = ++_position; // 'i'
        var end = _input[start..].IndexOf((byte)'e');
        if (end < 0)
        {
            Fail(BencodeError.Truncated, _input.Length);
        }

        var digits = _input.Slice(start, end);
        var unsigned = digits.Length > 0 && digits[0] == (byte)'-' ? digits[1..] : digits;
        var canonical = unsigned.Length > 0
            && unsigned.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && (unsigned[0] != (byte)'0' || (unsigned.Length == 1 && unsigned.Length == digits.Length));
        var parsed = Utf8Parser.TryParse(digits, out long value, out var consumed) && consumed == digits.Length;
        if (!canonical || !parsed)
        {
            Fail(BencodeError.BadInteger, start);
        }

        _position = start + end + 1;
        return value;
    }

    private ReadOnlyMemory<byte> ReadBytes()
    {
        var start = _position;
        var colon = _input[start..].IndexOf((byte)':');
        if (colon < 0)
        {
            Fail(BencodeError.Truncated, _input.Length);
        }

        var digits = _input.Slice(start, colon);
        long length = -1;
        var plain = digits.Length is > 0 and <= 10
            && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && (digits[0] != (byte)'0' || digits.Length == 1)
            && Utf8Parser.TryParse(digits, out length, out _);
        if (!plain || length > _limits.MaxStringLength)
        {
            Fail(BencodeError.BadLength, start);
        }

        var first = start + colon + 1;
        if (length > _input.Length - first)
        {
            Fail(BencodeError.Truncated, _input.Length);
        }

        _position = first + (int)length;
        return _memory.Slice(first, (int)length);
    }

    private readonly byte Peek()
    {
        if (_position >= _input.Length)
        {
            Fail(BencodeError.Truncated, _position);
        }

        return _input[_position];
    }

    private readonly void CheckDepth(int depth)
    {
        if (depth > _limits.MaxDepth)
        {
            Fail(BencodeError.TooDeep, _position);
        }
    }

    [DoesNotReturn]
    private static void Fail(BencodeError error, int offset) => throw new BencodeFormatException(error, offset);
}
