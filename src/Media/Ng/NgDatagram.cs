using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>The ng wire format: one UDP datagram each way, <c>&lt;cookie&gt; SP &lt;bencoded dictionary&gt;</c>.</summary>
internal static class NgDatagram
{
    /// <summary>The largest datagram accepted (a UDP payload).</summary>
    public const int MaxSize = 65_535;

    /// <summary>A fresh cookie: 12 random hex digits and a counter, unique per client and never reused.</summary>
    public static string NewCookie(ref long counter)
    {
        Span<byte> random = stackalloc byte[6];
        RandomNumberGenerator.Fill(random);
        return string.Create(null, stackalloc char[32], $"{Convert.ToHexStringLower(random)}{Interlocked.Increment(ref counter):x}");
    }

    /// <summary>The datagram of one command.</summary>
    public static byte[] Frame(string cookie, string command, BencodeDictionary? arguments)
    {
        var message = new BencodeDictionary();
        foreach (var (key, value) in arguments?.Entries ?? new Dictionary<string, BencodeValue>())
        {
            message[key] = value;
        }

        message["command"] = command;
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write(Encoding.ASCII.GetBytes(cookie));
        buffer.Write(" "u8);
        BencodeWriter.Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Splits a datagram at its first space into cookie and body; false when there is none.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> datagram, out ReadOnlySpan<byte> cookie, out ReadOnlySpan<byte> body)
    {
        var space = datagram.IndexOf((byte)' ');
        cookie = space > 0 ? datagram[..space] : default;
        body = space > 0 ? datagram[(space + 1)..] : default;
        return space > 0;
    }
}
