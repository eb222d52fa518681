using System.Text.RegularExpressions;
using CallControl.Media.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests.Infrastructure.Media;

/// <summary>Checks that an SDP a party received was rewritten by rtpengine: every address in it is rtpengine's, its audio port one of rtpengine's.</summary>
internal static partial class AnchoredSdp
{
    /// <summary>Fails unless every <c>IN IP4</c> address of <paramref name="sdp"/> (o= and c=) is <paramref name="engineAddress"/> and its audio port is in the range.</summary>
    public static void Assert(string sdp, string engineAddress, int portMin, int portMax)
    {
        var addresses = Address().Matches(sdp).Select(m => m.Groups[1].Value).ToList();
        Xunit.Assert.True(addresses.Count >= 2, $"no o= and c= addresses in:\n{sdp}");
        Xunit.Assert.All(addresses, a => Xunit.Assert.Equal(engineAddress, a));
        Xunit.Assert.InRange(SdpText.Audio(sdp).Port, portMin, portMax);
    }

    [GeneratedRegex(@"IN IP4 ([0-9.]+)")]
    private static partial Regex Address();
}
