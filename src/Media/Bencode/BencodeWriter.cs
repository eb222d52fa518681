using System.Buffers;
using System.Globalization;
using System.Text;

namespace CallControl.Media.Bencode;

/// <summary>Encodes bencode into a buffer writer: dictionaries with their keys sorted by bytes, as bencode requires.</summary>
public static class BencodeWriter
{
    /// <summary>Appends the encoding of <paramref name="value"/>.</summary>
    public static void Write(IBufferWriter<byte> output, BencodeValue value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case BencodeString s:
                WriteBytes(output, s.Bytes.Span);
                break;
            case BencodeInteger i:
                Put(output, (byte)'i');
                WriteDecimal(output, i.Value);
                Put(output, (byte)'e');
                break;
            case BencodeList l:
                Put(output, (byte)'l');
                foreach (var item in l.Items)
                {
                    Write(output, item);
                }

                Put(output, (byte)'e');
                break;
            case BencodeDictionary d:
                WriteDictionary(output, d);
                break;
            default:
                throw new ArgumentException($"Not a bencode value: {value.GetType()}.", nameof(value));
        }
    }

    /// <summary>The encoding of <paramref name="value"/> as a new array.</summary>
    public static byte[] ToArray(BencodeValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends a byte string: its length in bytes, a colon, the bytes.</summary>
    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteDecimal(output, bytes.Length);
        Put(output, (byte)':');
        output.Write(bytes);
    }

    private static void WriteDictionary(IBufferWriter<byte> output, BencodeDictionary dictionary)
    {
        var keys = new (byte[] Bytes, BencodeValue Value)[dictionary.Count];
        var n = 0;
        foreach (var (key, value) in dictionary.Entries)
        {
            keys[n++] = (Encoding.UTF8.GetBytes(key), value);
        }

        Array.Sort(keys, static (a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
        Put(output, (byte)'d');
        foreach (var (key, value) in keys)
        {
            WriteBytes(output, key);
            Write(output, value);
        }

        Put(output, (byte)'e');
    }

    private static void WriteDecimal(IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(20);
        if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A 64-bit integer did not fit in 20 bytes.");
        }

        output.Advance(written);
    }

    private static void Put(IBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }
}
