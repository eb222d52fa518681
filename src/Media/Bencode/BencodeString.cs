using System.Text;

namespace CallControl.Media.Bencode;

/// <summary>A bencode byte string (<c>4:spam</c>). Kept as bytes; <see cref="Text"/> decodes UTF-8 on first use.</summary>
public sealed class BencodeString : BencodeValue
{
    private string? _text;

    /// <summary>A byte string of these bytes (not copied).</summary>
    public BencodeString(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    /// <summary>A byte string of this text's UTF-8 bytes.</summary>
    public BencodeString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Bytes = Encoding.UTF8.GetBytes(text);
        _text = text;
    }

    /// <summary>The raw bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The bytes as UTF-8 text (invalid sequences become U+FFFD).</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(Bytes.Span);

    /// <inheritdoc />
    public override string ToString() => Text;
}
