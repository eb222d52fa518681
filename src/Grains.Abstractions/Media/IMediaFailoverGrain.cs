namespace CallControl.Grains.Media;

/// <summary>
/// Moves the calls of one dead rtpengine (the grain's key: its ng address) to others: one pass at a time for the
/// whole cluster, however many silos saw it die. Every silo asks again while the rtpengine stays down, so a pass cut
/// short (its silo died, a call could not move yet) is taken up by the next.
/// </summary>
[Alias("cc.media-failover")]
public interface IMediaFailoverGrain : IGrainWithStringKey
{
    /// <summary>Runs a pass over the rtpengine's calls (or joins the one running); what it did.</summary>
    [Alias("move-calls")]
    Task<MediaFailoverPass> MoveCallsAsync();
}

/// <summary>What one failover pass did.</summary>
/// <param name="Moved">Calls whose media moved to another rtpengine.</param>
/// <param name="Gone">Calls that had ended (their index row removed).</param>
/// <param name="Left">Calls that could not move now (not yet confirmed, an offer in flight, no rtpengine took them).</param>
[GenerateSerializer, Alias("cc.media-failover-pass")]
public sealed record MediaFailoverPass([property: Id(0)] int Moved, [property: Id(1)] int Gone, [property: Id(2)] int Left);

/// <summary>What a call did when told its rtpengine died.</summary>
public enum MediaLostOutcome : byte
{
    /// <summary>Its media is on another rtpengine now (or was already).</summary>
    Moved,

    /// <summary>There is no such call (it ended): nothing to move.</summary>
    Gone,

    /// <summary>Not now: the call will be asked again.</summary>
    Left,
}
