using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>Packets, bytes and errors counted by rtpengine (its <c>stats</c> dictionaries).</summary>
public sealed record StreamCounters(long Packets, long Bytes, long Errors)
{
    /// <summary>Nothing counted.</summary>
    public static readonly StreamCounters Zero = new(0, 0, 0);

    /// <summary>The sum of two counters.</summary>
    public StreamCounters Add(StreamCounters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Packets + other.Packets, Bytes + other.Bytes, Errors + other.Errors);
    }

    /// <summary>Reads <c>{packets, bytes, errors}</c>; missing values are 0.</summary>
    internal static StreamCounters From(BencodeDictionary? stats) =>
        stats is null ? Zero : new(stats.Integer("packets") ?? 0, stats.Integer("bytes") ?? 0, stats.Integer("errors") ?? 0);
}
