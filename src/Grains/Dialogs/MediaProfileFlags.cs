using CallControl.Calls;
using CallControl.Grains.Routing;
using CallControl.Media.Ng;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// The rtpengine flags for a media command whose SDP goes to a party of <see cref="MediaRequest.Toward"/>'s profile
/// (docs/media.md, "SRTP and WebRTC per route"): an offer sets that party's protocol; an answer goes back to the
/// offerer, in the protocol it offered, so only a WebRTC offerer needs more than the defaults.
/// </summary>
internal static class MediaProfileFlags
{
    public static MediaFlags For(MediaProfile toward, MediaKind kind) => (kind, toward) switch
    {
        (MediaKind.Offer, MediaProfile.Srtp) => ProtocolFlags.SdesOffer,
        (MediaKind.Offer, MediaProfile.WebRtc) => ProtocolFlags.WebRtcOffer,
        (MediaKind.Offer, _) => ProtocolFlags.RtpOffer,
        (_, MediaProfile.WebRtc) => ProtocolFlags.WebRtcAnswer,
        _ => MediaFlags.Default,
    };
}
