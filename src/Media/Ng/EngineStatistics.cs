using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>An rtpengine's load from <c>statistics</c> (<c>currentstatistics</c>), for the least-loaded choice.</summary>
/// <param name="SessionsOwn">Calls this rtpengine handles itself (<c>sessionsown</c>).</param>
/// <param name="SessionsTotal">All calls it knows, own and foreign (<c>sessionstotal</c>).</param>
/// <param name="PacketRate">Packets per second it relays (<c>packetrate</c>).</param>
/// <param name="Raw">The whole reply.</param>
public sealed record EngineStatistics(long SessionsOwn, long SessionsTotal, long PacketRate, BencodeDictionary Raw)
{
    /// <summary>Reads a <c>statistics</c> reply.</summary>
    public static EngineStatistics Parse(BencodeDictionary reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var current = reply.Dictionary("statistics")?.Dictionary("currentstatistics");
        return new(current?.Integer("sessionsown") ?? 0, current?.Integer("sessionstotal") ?? 0, current?.Integer("packetrate") ?? 0, reply);
    }
}
