namespace CallControl.Grains.Media;

/// <summary>
/// Which calls have their media on which rtpengine, kept beside the calls' own state so that when an rtpengine dies
/// every call anchored there can be found, parked or not, whichever silo held it (docs/media.md, "When an rtpengine
/// dies"). A row goes in at the first offer, moves with the media and goes at the delete. Writes may be lost or come
/// late (a silo died): a row of a call that has ended is found by the failover and removed then.
/// </summary>
public interface IMediaSessionIndex
{
    /// <summary>Call <paramref name="callId"/>'s media is on <paramref name="engine"/> (an insert, or a move).</summary>
    Task SetAsync(string callId, string engine, CancellationToken cancellationToken);

    /// <summary>Call <paramref name="callId"/> has no media session any more.</summary>
    Task RemoveAsync(string callId, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> calls on <paramref name="engine"/>, in Call-ID order, after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<string>> ListAsync(string engine, string? after, int limit, CancellationToken cancellationToken);
}
