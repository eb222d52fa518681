using System.Net;
using CallControl.Grains.Dialogs;

namespace CallControl.Grains.Tests;

/// <summary>When rtpengine may trust an SDP's address, and when it is told the signalling source instead (docs/media.md).</summary>
public sealed class MediaTrustTests
{
    private static string Sdp(string address) => $"v=0\r\no=- 1 1 IN IP4 {address}\r\ns=-\r\nc=IN IP4 {address}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    [Theory]
    [InlineData("203.0.113.7", "198.51.100.2")] // a public media address (a trunk's media server)
    [InlineData("10.0.0.9", "10.0.0.9")] // a private address the sender signals from: the same network
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("fd00::9", "[fd00::9]")] // an IPv6 source is a URI host (SipHost), the c= address a bare one
    [InlineData("2001:db8::20", "[2001:db8::1]")]
    public void A_public_sdp_address_or_the_senders_own_is_trusted(string sdpAddress, string source)
    {
        var flags = MediaTrust.FlagsFor(Sdp(sdpAddress), source);

        Assert.Equal(["trust-address"], flags.Flags);
        Assert.Null(flags.ReceivedFrom);
    }

    [Fact]
    public void A_private_sdp_address_from_a_public_source_is_a_phone_behind_nat_and_rtpengine_gets_the_source()
    {
        var flags = MediaTrust.FlagsFor(Sdp("192.168.1.20"), "198.51.100.2");

        Assert.Empty(flags.Flags);
        Assert.Equal(IPAddress.Parse("198.51.100.2"), flags.ReceivedFrom);
        Assert.Equal(["origin", "session-connection"], flags.Replace);
        Assert.Equal("remove", flags.Ice);
    }

    [Fact]
    public void A_private_IPv6_sdp_address_from_another_IPv6_source_gets_the_source()
    {
        var flags = MediaTrust.FlagsFor(Sdp("fd00::20"), "[2001:db8::7]");

        Assert.Empty(flags.Flags);
        Assert.Equal(IPAddress.Parse("2001:db8::7"), flags.ReceivedFrom);
    }

    [Fact]
    public void An_unknown_source_or_an_sdp_without_a_connection_line_keeps_the_default()
    {
        Assert.Null(MediaTrust.FlagsFor(Sdp("192.168.1.20"), source: null).ReceivedFrom);
        Assert.Null(MediaTrust.FlagsFor("v=0\r\ns=-\r\n", "198.51.100.2").ReceivedFrom);
    }
}
