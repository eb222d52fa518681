using CallControl.Media.Bencode;

namespace CallControl.Media.Ng;

/// <summary>An <c>offer</c> or <c>answer</c> reply: the SDP rewritten to rtpengine's address, for the other side.</summary>
/// <param name="Sdp">The rewritten SDP.</param>
/// <param name="Warning">rtpengine's <c>warning</c>, if it sent one.</param>
/// <param name="Raw">The whole reply.</param>
public sealed record SdpReply(string Sdp, string? Warning, BencodeDictionary Raw);
