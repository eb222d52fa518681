using System.Globalization;
using System.Net;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>Reads an SDP for the tests: the first audio stream's address (c=) and port (m=audio), its protocol, and lines by prefix.</summary>
internal static class SdpText
{
    public static IPEndPoint Audio(string sdp)
    {
        var lines = sdp.Split("\r\n");
        var address = lines.First(l => l.StartsWith("c=IN IP4 ", StringComparison.Ordinal))["c=IN IP4 ".Length..];
        var port = lines.First(l => l.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[1];
        return new IPEndPoint(IPAddress.Parse(address), int.Parse(port, CultureInfo.InvariantCulture));
    }

    /// <summary>The first audio stream's transport protocol (<c>m=audio 7300 RTP/SAVP 0</c>: <c>RTP/SAVP</c>).</summary>
    public static string Protocol(string sdp)
        => sdp.Split("\r\n").First(l => l.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[2];

    /// <summary>Every line that starts with <paramref name="prefix"/>, in order.</summary>
    public static string[] Lines(string sdp, string prefix)
        => [.. sdp.Split("\r\n").Where(l => l.StartsWith(prefix, StringComparison.Ordinal))];
}
