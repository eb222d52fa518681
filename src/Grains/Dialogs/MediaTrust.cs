using System.Net;
using CallControl.Media.Ng;
using CallControl.Sip.Headers;
using CallControl.Sip.Registration;

namespace CallControl.Grains.Dialogs;

/// <summary>
/// Whether rtpengine may take an SDP's connection address as where that side's media comes from (its
/// <c>trust-address</c> flag), decided in plain code. A public address, or the very address the SDP's sender signals
/// from, is trusted (a trunk's media server, a phone with a public address). A private address from anywhere else is
/// a phone behind NAT: rtpengine is told the signalling source instead (<c>received-from</c>; the ng command comes from
/// a silo, not from the phone) and learns the real port from the first packets.
/// </summary>
internal static class MediaTrust
{
    /// <summary>
    /// The ng flags for an SDP from <paramref name="source"/> (the signalling peer's host; null: unknown, trusted):
    /// <paramref name="toward"/> (the receiver's protocol flags; null: <see cref="MediaFlags.Default"/>) with this trust.
    /// </summary>
    public static MediaFlags FlagsFor(string sdp, string? source, MediaFlags? toward = null)
    {
        toward ??= MediaFlags.Default;
        // The source is a URI host ("[fd00::1]" for IPv6, SipHost) and c= a bare address: compared as addresses.
        if (source is null || !IPAddress.TryParse(SipHost.Bare(source), out var from) || ConnectionAddress(sdp) is not { } address
            || (IPAddress.TryParse(address, out var connection) && connection.Equals(from)) || !NatDetection.IsPrivate(address))
        {
            return toward;
        }

        return toward with { Flags = [], ReceivedFrom = from };
    }

    /// <summary>The session's (or first media's) <c>c=</c> address.</summary>
    internal static string? ConnectionAddress(string sdp)
    {
        foreach (var line in sdp.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.StartsWith("c=IN IP", StringComparison.Ordinal) && text.Length > "c=IN IP4 ".Length)
            {
                var address = text["c=IN IP4 ".Length..];
                var slash = address.IndexOf('/', StringComparison.Ordinal);
                return slash >= 0 ? address[..slash] : address;
            }
        }

        return null;
    }
}
