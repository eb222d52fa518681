using System.Buffers;

namespace CallControl.Sip.Parsing;

/// <summary>Small byte-level scanning helpers shared by the parsers.</summary>
internal static class ByteScan
{
    private static readonly SearchValues<byte> CommaQuoteAngle = SearchValues.Create(",\"<>\\"u8);

    /// <summary>True for SP and HTAB (RFC 3261 WSP).</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        var start = 0;
        while (start < span.Length && IsLws(span[start]))
        {
            start++;
        }

        var end = span.Length;
        while (end > start && IsLws(span[end - 1]))
        {
            end--;
        }

        return span[start..end];
    }

    public static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> memory)
    {
        var span = memory.Span;
        var trimmed = Trim(span);
        if (trimmed.IsEmpty)
        {
            return default;
        }

        var start = span.Length - span.TrimStart(" \t\r\n"u8).Length;
        return memory.Slice(start, trimmed.Length);
    }

    /// <summary>
    /// The index of the first comma that separates list elements: outside quoted strings (with their
    /// backslash escapes) and outside &lt;...&gt;, where URIs may carry commas. -1 when there is none.
    /// </summary>
    public static int IndexOfTopLevelComma(ReadOnlySpan<byte> span)
    {
        var inQuotes = false;
        var inAngle = false;
        var i = 0;
        while (i < span.Length)
        {
            var next = span[i..].IndexOfAny(CommaQuoteAngle);
            if (next < 0)
            {
                return -1;
            }

            i += next;
            switch (span[i])
            {
                case (byte)'\\' when inQuotes:
                    i++; // skip the escaped octet
                    break;
                case (byte)'"' when !inAngle:
                    inQuotes = !inQuotes;
                    break;
                case (byte)'<' when !inQuotes:
                    inAngle = true;
                    break;
                case (byte)'>' when !inQuotes:
                    inAngle = false;
                    break;
                case (byte)',' when !inQuotes && !inAngle:
                    return i;
                default:
                    break;
            }

            i++;
        }

        return -1;
    }

    /// <summary>Parses a non-negative decimal that fits an int; false on anything else.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> digits, out int value)
    {
        var ok = TryParseDecimal(digits, int.MaxValue, out var result);
        value = (int)result;
        return ok;
    }

    /// <summary>Parses a non-negative decimal that fits a uint (CSeq numbers are 32-bit: RFC 3261 §8.1.1.5).</summary>
    public static bool TryParseUInt(ReadOnlySpan<byte> digits, out uint value)
    {
        var ok = TryParseDecimal(digits, uint.MaxValue, out var result);
        value = (uint)result;
        return ok;
    }

    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, ulong max, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 10)
        {
            return false;
        }

        ulong result = 0;
        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            result = (result * 10) + (uint)(b - '0');
        }

        if (result > max)
        {
            return false;
        }

        value = result;
        return true;
    }

    private static bool IsLws(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
