namespace CallControl.Grains.Routing;

/// <summary>
/// What a party's media is, for an anchored call (docs/media.md, "SRTP and WebRTC per route"): the protocol rtpengine
/// gives the SDPs it sends that party. A route names its callee's (<c>media</c>: <c>rtp</c>, <c>srtp</c>,
/// <c>webrtc</c>); the caller's is read from its own offer. Persisted in the call's state: append only.
/// </summary>
public enum MediaProfile : byte
{
    /// <summary>Plain RTP (<c>RTP/AVP</c>), without ICE: the default, and what every route got before profiles.</summary>
    Rtp,

    /// <summary>SDES-SRTP (<c>RTP/SAVP</c> with <c>a=crypto</c> keys), without ICE: a trunk that wants its media encrypted.</summary>
    Srtp,

    /// <summary>DTLS-SRTP with ICE and rtcp-mux (<c>UDP/TLS/RTP/SAVPF</c>): a browser.</summary>
    WebRtc,
}

/// <summary>A route's <c>media</c> value as the operator writes it (CLI <c>--media</c>, configuration <c>Media</c>, column <c>route.media</c>).</summary>
public static class MediaProfileNames
{
    /// <summary>The accepted values, as a problem message lists them.</summary>
    public const string Accepted = "rtp, srtp, webrtc";

    /// <summary>The profile <paramref name="name"/> names (any case; null or blank: <see cref="MediaProfile.Rtp"/>); false when it names none.</summary>
    public static bool TryParse(string? name, out MediaProfile profile)
    {
        profile = MediaProfile.Rtp;
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "rtp":
                return true;
            case "srtp":
                profile = MediaProfile.Srtp;
                return true;
            case "webrtc":
                profile = MediaProfile.WebRtc;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The name the operator writes for <paramref name="profile"/>.</summary>
    public static string Of(MediaProfile profile) => profile switch
    {
        MediaProfile.Srtp => "srtp",
        MediaProfile.WebRtc => "webrtc",
        _ => "rtp",
    };
}
