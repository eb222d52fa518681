using System.Text;
using Orleans.Runtime;

namespace CallControl.Storage.GrainState;

/// <summary>
/// A grain's row key in table orleans_grain_state exactly as Orleans' ADO.NET provider computes it (its
/// <c>AdoGrainKey</c> is internal): a Guid key in N0/N1, an integer key in N1, each with its extension in the string
/// column, any other key whole in the string column. The batched writes and the provider's own reads must agree on
/// it, or a call would not find its state: tests/…/BatchedGrainStorageTests checks each kind against the provider.
/// </summary>
internal readonly record struct AdoNetRowKey(long N0, long N1, string? Extension, byte[] HashBytes)
{
    public static AdoNetRowKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension, Hashed(bytes, guidExtension));
        }

        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new(0, integer, integerExtension, Hashed(BitConverter.GetBytes(integer), integerExtension));
        }

        var key = grainId.Key.ToString()!;
        return new(0, 0, key, Hashed([], key));
    }

    // The provider hashes the key's bytes (then the extension's UTF-8), reversed on little-endian machines.
    private static byte[] Hashed(byte[] key, string? extension)
    {
        byte[] bytes = [.. key, .. extension is null ? [] : Encoding.UTF8.GetBytes(extension)];
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }
}
