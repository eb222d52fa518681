namespace CallControl.Media;

/// <summary>What CallControl does with media (<c>CallControl:Media:Mode</c>).</summary>
public enum MediaMode
{
    /// <summary>The SDP passes through untouched and media flows end to end (the default; no rtpengine needed).</summary>
    Passthrough,

    /// <summary>Every call's media is anchored on an rtpengine, and each leg sees only rtpengine's address.</summary>
    Anchor,
}
