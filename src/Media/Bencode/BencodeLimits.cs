namespace CallControl.Media.Bencode;

/// <summary>
/// Bounds on what the decoder accepts, so hostile input costs at most its own size: nesting (the decoder recurses),
/// one string's length, and the number of values. Defaults fit rtpengine's largest replies (a <c>query</c> of a call
/// with many streams is a few kB; one UDP datagram is at most 64 kB) with room to spare.
/// </summary>
public sealed record BencodeLimits
{
    /// <summary>The defaults: depth 32, strings up to 64 kB, 100,000 values.</summary>
    public static readonly BencodeLimits Default = new();

    /// <summary>The deepest nesting of lists and dictionaries; default 32 (rtpengine's replies nest about 8 deep).</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>The longest byte string; default 65,536 (one UDP datagram).</summary>
    public int MaxStringLength { get; init; } = 65_536;

    /// <summary>The most values in one document; default 100,000.</summary>
    public int MaxValues { get; init; } = 100_000;
}
