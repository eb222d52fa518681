namespace CallControl.Grains;

/// <summary>
/// The far party of a call's dialog, as an attended transfer dials it from another call (RFC 3891): its remote
/// target, where its leg is reached (and the edge holding that), and the <c>Replaces</c> value naming its dialog with
/// the call it leaves.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.far-party")]
public sealed record FarPartyTarget(
    [property: Id(0)] string Uri,
    [property: Id(1)] SipPeer? Peer,
    [property: Id(2)] EdgeInfo? Edge,
    [property: Id(3)] string Replaces);
