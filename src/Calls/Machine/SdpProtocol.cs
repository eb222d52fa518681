using CallControl.Grains.Routing;

namespace CallControl.Calls;

/// <summary>
/// The media profile a party speaks, read from its own SDP: the transport protocol of its first <c>m=</c> line.
/// rtpengine then gives that party SDPs in the same profile (offers toward it, and answers to its offers), whatever
/// the other side speaks.
/// </summary>
internal static class SdpProtocol
{
    /// <summary>The transport protocol of the first media line (<c>m=audio 4000 RTP/AVP 0</c>: <c>RTP/AVP</c>), or null.</summary>
    public static string? Of(string sdp)
    {
        foreach (var line in sdp.Split('\n'))
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                var fields = line.TrimEnd('\r').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 2 ? fields[2] : null;
            }
        }

        return null;
    }

    /// <summary>
    /// DTLS (<c>UDP/TLS/RTP/SAVPF</c> and its kin) is a WebRTC party; SAVP without TLS is SDES-SRTP; anything else, or
    /// no media line, plain RTP.
    /// </summary>
    public static MediaProfile ProfileOf(string sdp)
        => Of(sdp) switch
        {
            { } protocol when protocol.Contains("TLS", StringComparison.OrdinalIgnoreCase) => MediaProfile.WebRtc,
            { } protocol when protocol.Contains("SAVP", StringComparison.OrdinalIgnoreCase) => MediaProfile.Srtp,
            _ => MediaProfile.Rtp,
        };
}
