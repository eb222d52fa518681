using System.Globalization;

namespace CallControl.Media.Bencode;

/// <summary>A bencode integer (<c>i42e</c>), 64-bit signed.</summary>
public sealed class BencodeInteger(long value) : BencodeValue
{
    /// <summary>The value.</summary>
    public long Value { get; } = value;

    /// <inheritdoc />
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
