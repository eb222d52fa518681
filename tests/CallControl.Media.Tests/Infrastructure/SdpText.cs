using System.Globalization;
using System.Net;

namespace CallControl.Media.Tests.Infrastructure;

/// <summary>Reads the first audio stream's address (c=) and port (m=audio) from an SDP, for the tests.</summary>
internal static class SdpText
{
    public static IPEndPoint Audio(string sdp)
    {
        var lines = sdp.Split("\r\n");
        var address = lines.First(l => l.StartsWith("c=IN IP4 ", StringComparison.Ordinal))["c=IN IP4 ".Length..];
        var port = lines.First(l => l.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[1];
        return new IPEndPoint(IPAddress.Parse(address), int.Parse(port, CultureInfo.InvariantCulture));
    }
}
