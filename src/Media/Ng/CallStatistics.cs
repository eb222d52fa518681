using System.Globalization;
using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>
/// What <c>query</c> and <c>delete</c> return for a call: every stream of every tag, the totals, and RTCP-derived
/// quality where rtpengine computed it. <see cref="Raw"/> keeps the whole reply for anything not modelled.
/// </summary>
public sealed record CallStatistics(
    IReadOnlyList<MediaStreamStatistics> Streams,
    StreamCounters TotalRtp,
    StreamCounters TotalRtcp,
    IReadOnlyList<SsrcQuality> Quality,
    BencodeDictionary Raw)
{
    /// <summary>rtpengine's <c>warning</c>: a <c>delete</c> of a call it does not know answers <c>result: ok</c> with
    /// <c>Call-ID not found or tags didn't match</c> (10.5), so a repeated delete is harmless and visible here.</summary>
    public string? Warning => Raw.Text("warning");

    /// <summary>The tags, in rtpengine's order.</summary>
    public IEnumerable<string> Tags => Streams.Select(s => s.Tag).Distinct(StringComparer.Ordinal);

    /// <summary>RTP received from the side with <paramref name="tag"/> (what that side sent), over all its media.</summary>
    public StreamCounters RtpFrom(string tag) =>
        Streams.Where(s => !s.IsRtcp && s.Tag == tag).Aggregate(StreamCounters.Zero, (sum, s) => sum.Add(s.Received));

    /// <summary>Reads a <c>query</c> or <c>delete</c> reply (ECOSYSTEM.md §3's shape; missing parts read as empty).</summary>
    public static CallStatistics Parse(BencodeDictionary reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var streams = new List<MediaStreamStatistics>();
        foreach (var (tagKey, tagValue) in reply.Dictionary("tags")?.Entries ?? Empty)
        {
            var tag = tagValue.AsDictionary()?.Text("tag") ?? tagKey;
            foreach (var media in Dictionaries(tagValue.AsDictionary()?.List("medias")))
            {
                foreach (var stream in Dictionaries(media.List("streams")))
                {
                    streams.Add(Stream(tag, media, stream));
                }
            }
        }

        var totals = reply.Dictionary("totals");
        var quality = (reply.Dictionary("SSRC")?.Entries ?? Empty)
            .Where(e => uint.TryParse(e.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(e => QualityOf(uint.Parse(e.Key, CultureInfo.InvariantCulture), e.Value.AsDictionary()))
            .ToList();
        return new(streams, StreamCounters.From(totals?.Dictionary("RTP")), StreamCounters.From(totals?.Dictionary("RTCP")), quality, reply);
    }

    private static readonly Dictionary<string, BencodeValue> Empty = [];

    private static MediaStreamStatistics Stream(string tag, BencodeDictionary media, BencodeDictionary stream)
    {
        var endpoint = stream.Dictionary("endpoint");
        var ssrc = stream.Integer("SSRC");
        return new(
            tag,
            (int)(media.Integer("index") ?? 0),
            media.Text("type") ?? "",
            stream.List("flags")?.Texts().Contains("RTCP") == true,
            stream.Text("local address") ?? "",
            (int)(stream.Integer("local port") ?? 0),
            endpoint?.Text("address"),
            (int)(endpoint?.Integer("port") ?? 0),
            ssrc is >= 0 and <= uint.MaxValue ? (uint)ssrc : null,
            StreamCounters.From(stream.Dictionary("stats")));
    }

    private static SsrcQuality QualityOf(uint ssrc, BencodeDictionary? entry) =>
        new(ssrc, entry?.Integer("cumulative loss"), Mos(entry?.Dictionary("average MOS")), Mos(entry?.Dictionary("lowest MOS")), Mos(entry?.Dictionary("highest MOS")));

    private static MosSample? Mos(BencodeDictionary? sample) =>
        sample?.Integer("MOS") is { } tenths
            ? new(tenths / 10.0, sample.Integer("round-trip time") ?? 0, sample.Integer("jitter") ?? 0, sample.Integer("packet loss") ?? 0)
            : null;

    private static IEnumerable<BencodeDictionary> Dictionaries(BencodeList? list) =>
        list?.Items.OfType<BencodeDictionary>() ?? [];
}
