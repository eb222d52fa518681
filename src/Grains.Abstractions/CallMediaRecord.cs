namespace CallControl.Grains;

/// <summary>
/// A call's media as its rtpengine counted it at the end (docs/media.md, "Anchoring a call"): the CDR's <c>media</c>
/// object, present only for calls whose media was anchored and whose rtpengine answered the <c>delete</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.cdr-media")]
public sealed record CallMediaRecord
{
    /// <summary>RTP rtpengine received from the caller (what the caller sent toward the callee).</summary>
    [Id(0)] public required MediaCounts FromCaller { get; init; }

    /// <summary>RTP rtpengine received from the callee (zero when no callee answered).</summary>
    [Id(1)] public required MediaCounts FromCallee { get; init; }

    /// <summary>Packets reported lost (RTCP cumulative loss, summed over the SSRCs that reported it); null when none did.</summary>
    [Id(2)] public long? PacketsLost { get; init; }

    /// <summary>The highest jitter rtpengine reported (milliseconds); null without RTCP-derived quality.</summary>
    [Id(3)] public long? Jitter { get; init; }

    /// <summary>The lowest average MOS over the SSRCs (1.0–5.0); null when rtpengine computed none.</summary>
    [Id(4)] public double? Mos { get; init; }

    /// <summary>The rtpengine that carried the media (its ng address).</summary>
    [Id(5)] public string? Engine { get; init; }
}

/// <summary>RTP packets and bytes in one direction.</summary>
[GenerateSerializer, Immutable, Alias("cc.media-counts")]
public sealed record MediaCounts(
    [property: Id(0)] long Packets,
    [property: Id(1)] long Bytes);
