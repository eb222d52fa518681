using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallControl.Grains;
using CallControl.Grains.Cdr;

namespace CallControl.Silo.Cdr;

/// <summary>
/// One journal file: named by the SHA-256 of the call id (any Call-ID is a safe file name, and a second hold of the
/// same call replaces the first), holding the SHA-256 of the CDR's JSON on the first line and the JSON on the second.
/// The rename protocol means a file is whole or absent; the checksum catches what a disk or a hand did to it since.
/// </summary>
public static class CdrJournalFile
{
    /// <summary>A journaled CDR.</summary>
    public const string Extension = ".cdr";

    /// <summary>A file being written; one left behind was never renamed, so was never durable.</summary>
    public const string TempExtension = ".tmp";

    /// <summary>A file that did not read back: renamed aside for an operator, never replayed again.</summary>
    public const string CorruptExtension = ".corrupt";

    private const int HashChars = 64;

    /// <summary>The file name of a call's CDR.</summary>
    public static string NameFor(string callId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(callId))) + Extension;

    /// <summary>The file's bytes: checksum, newline, JSON, newline.</summary>
    public static byte[] Encode(CallDetailRecord record)
    {
        var json = CdrJson.ToUtf8(record);
        var bytes = new byte[HashChars + 1 + json.Length + 1];
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(json)), bytes);
        bytes[HashChars] = (byte)'\n';
        json.CopyTo(bytes, HashChars + 1);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    /// <summary>The CDR in a file's bytes, or false with what is wrong (cut short, checksum, JSON, not its name).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, string fileName, [NotNullWhen(true)] out CallDetailRecord? record, out string problem)
    {
        record = null;
        if (bytes.Length < HashChars + 2 || bytes[HashChars] != (byte)'\n' || bytes[^1] != (byte)'\n')
        {
            problem = $"cut short or not a journal file ({bytes.Length} bytes)";
            return false;
        }

        var json = bytes[(HashChars + 1)..^1];
        if (!Encoding.ASCII.GetString(bytes[..HashChars]).Equals(Convert.ToHexStringLower(SHA256.HashData(json)), StringComparison.Ordinal))
        {
            problem = "checksum mismatch";
            return false;
        }

        try
        {
            record = CdrJson.FromUtf8(json);
        }
        catch (JsonException e)
        {
            problem = "not a CDR: " + e.Message;
            return false;
        }

        if (record is null || !NameFor(record.CallId).Equals(fileName, StringComparison.Ordinal))
        {
            problem = "the CDR inside is not the file's call";
            record = null;
            return false;
        }

        problem = "";
        return true;
    }
}
