using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Calls.Tests;

/// <summary>
/// The media profile as plain code (docs/media.md, "SRTP and WebRTC per route"): a route's <c>media</c> value, its
/// check, and the profile a party's own SDP shows.
/// </summary>
public sealed class MediaProfileTests
{
    private static readonly ICallFlowCatalog Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    [Theory]
    [InlineData(null, MediaProfile.Rtp)]
    [InlineData("", MediaProfile.Rtp)]
    [InlineData("rtp", MediaProfile.Rtp)]
    [InlineData("srtp", MediaProfile.Srtp)]
    [InlineData(" SRTP ", MediaProfile.Srtp)]
    [InlineData("webrtc", MediaProfile.WebRtc)]
    [InlineData("WebRTC", MediaProfile.WebRtc)]
    public void A_media_value_names_its_profile_and_none_is_plain_rtp(string? value, MediaProfile profile)
    {
        Assert.True(MediaProfileNames.TryParse(value, out var parsed));
        Assert.Equal(profile, parsed);
        Assert.Equal(profile, new DialPlanRoute("r", "1", ["sip:127.0.0.1:5090"], Media: value).ToDecision().Media);
    }

    [Theory]
    [InlineData(MediaProfile.Rtp, "rtp")]
    [InlineData(MediaProfile.Srtp, "srtp")]
    [InlineData(MediaProfile.WebRtc, "webrtc")]
    public void Each_profile_has_the_name_the_operator_writes(MediaProfile profile, string name)
    {
        Assert.Equal(name, MediaProfileNames.Of(profile));
        Assert.True(MediaProfileNames.TryParse(name, out var back));
        Assert.Equal(profile, back);
    }

    [Theory]
    [InlineData("sdes")]
    [InlineData("RTP/SAVP")]
    [InlineData("zrtp")]
    public void A_route_with_an_unknown_media_value_has_a_problem_that_names_the_field(string value)
    {
        var route = new DialPlanRoute("r", "1", ["sip:127.0.0.1:5090"], Media: value);

        Assert.False(MediaProfileNames.TryParse(value, out _));
        Assert.Equal([$"media: '{value}' is not one of rtp, srtp, webrtc"], route.Problems(Flows));
        Assert.Empty((route with { Media = "srtp" }).Problems(Flows));
    }

    [Fact]
    public void The_configured_routes_media_key_stops_start_up_naming_the_route_when_wrong()
    {
        var options = new RoutingOptions { Routes = [new RouteOptions { Name = "carrier", Prefix = "44", Targets = ["sip:10.0.0.1:5060"], Media = "srtpp" }] };

        var result = new RoutingOptionsValidator(Flows).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal("CallControl:Routing:Routes:0 (route 'carrier'): media: 'srtpp' is not one of rtp, srtp, webrtc", result.FailureMessage);
        options.Routes[0].Media = "webrtc";
        Assert.True(new RoutingOptionsValidator(Flows).Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("m=audio 4000 RTP/AVP 0 8", "RTP/AVP", MediaProfile.Rtp)]
    [InlineData("m=audio 4000 RTP/AVPF 0", "RTP/AVPF", MediaProfile.Rtp)]
    [InlineData("m=audio 4000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x", "RTP/SAVP", MediaProfile.Srtp)]
    [InlineData("m=audio 4000 RTP/SAVPF 0", "RTP/SAVPF", MediaProfile.Srtp)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\na=fingerprint:sha-256 AB", "UDP/TLS/RTP/SAVPF", MediaProfile.WebRtc)]
    [InlineData("m=audio 9 UDP/TLS/RTP/SAVP 0", "UDP/TLS/RTP/SAVP", MediaProfile.WebRtc)]
    public void A_partys_profile_is_read_from_its_first_media_line(string media, string protocol, MediaProfile profile)
    {
        var sdp = $"v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n{media}\r\nm=video 5000 RTP/AVP 96\r\n";

        Assert.Equal(protocol, SdpProtocol.Of(sdp));
        Assert.Equal(profile, SdpProtocol.ProfileOf(sdp));
    }

    [Theory]
    [InlineData("v=0\r\no=x\r\ns=")]
    [InlineData("")]
    [InlineData("v=0\nm=audio\n")]
    public void An_sdp_without_a_whole_media_line_is_plain_rtp(string sdp)
    {
        Assert.Null(SdpProtocol.Of(sdp));
        Assert.Equal(MediaProfile.Rtp, SdpProtocol.ProfileOf(sdp));
    }
}
