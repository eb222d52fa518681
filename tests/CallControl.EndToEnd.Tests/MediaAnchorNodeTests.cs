using System.Globalization;
using System.Text;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Messages;
using Microsoft.Extensions.Logging.Abstractions;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// An anchored call through the embedded node and a real rtpengine (docs/media.md, "Anchoring a call"): neither phone
/// sees the other's media address, RTP flows both ways through rtpengine's ports, the CDR's media object counts it,
/// and rtpengine holds nothing once the call is over.
/// </summary>
public sealed class MediaAnchorNodeTests
{
    private const int Packets = 50;

    [Fact]
    public async Task An_anchored_call_hides_each_sides_media_address_carries_rtp_both_ways_and_its_end_deletes_the_session()
    {
        await using var engine = await RtpengineProcess.StartAsync();
        using var callee = new UdpPhone(0);
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{callee.LocalPort}", new Dictionary<string, string>
        {
            ["CallControl__Media__Mode"] = "anchor",
            ["CallControl__Media__Rtpengine__0__Address"] = engine.Address.ToString(),
        });
        callee.NodePort = node.SipPort;
        using var caller = new UdpPhone(node.SipPort);
        using var callerMedia = new RtpPeer(0x1111);
        using var calleeMedia = new RtpPeer(0x2222);
        var callId = $"anchor-{Guid.NewGuid():N}";

        await caller.SendAsync(Request(caller, "anchor-caller", SipMethod.Invite, $"sip:1000@127.0.0.1:{node.SipPort}", callId, 1, toTag: null)
            .Body(Encoding.ASCII.GetBytes(callerMedia.Sdp("caller")), "application/sdp").ToArray());
        var invite = await NextFinalAsync(callee);
        var offered = Encoding.ASCII.GetString(invite.Body.Span);
        var toCallee = SdpText.Audio(offered);
        Assert.InRange(toCallee.Port, engine.PortMin, engine.PortMax);
        Assert.DoesNotContain(Port(callerMedia), offered, StringComparison.Ordinal);

        await callee.SendAsync(SipResponses.Create(invite, 200, toTag: "anchor-callee")
            .Add(Sip.Headers.HeaderId.Contact, $"<sip:callee@127.0.0.1:{callee.LocalPort}>")
            .Body(Encoding.ASCII.GetBytes(calleeMedia.Sdp("callee")), "application/sdp").ToArray());
        var ok = await NextFinalAsync(caller);
        Assert.Equal(200, ok.StatusCode);
        var answered = Encoding.ASCII.GetString(ok.Body.Span);
        var toCaller = SdpText.Audio(answered);
        Assert.InRange(toCaller.Port, engine.PortMin, engine.PortMax);
        Assert.DoesNotContain(Port(calleeMedia), answered, StringComparison.Ordinal);
        await caller.SendAsync(InDialog(caller, "anchor-caller", SipMethod.Ack, callId, 1, ok).ToArray());
        Assert.Equal(SipMethod.Ack, (await NextFinalAsync(callee)).Method);

        // RTP both ways, each side sending to the rtpengine port its SDP named.
        var callerGets = callerMedia.ReceiveAsync(Packets);
        var calleeGets = calleeMedia.ReceiveAsync(Packets);
        await callerMedia.SendAsync(toCaller, Packets);
        await calleeMedia.SendAsync(toCallee, Packets);
        Assert.Equal((Packets, 0x2222u), await callerGets);
        Assert.Equal((Packets, 0x1111u), await calleeGets);

        await caller.SendAsync(InDialog(caller, "anchor-caller", SipMethod.Bye, callId, 2, ok).ToArray());
        var bye = await NextFinalAsync(callee);
        Assert.Equal(SipMethod.Bye, bye.Method);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        Assert.Equal(200, (await NextFinalAsync(caller)).StatusCode);

        var media = Assert.Single(await node.WaitForCdrsAsync(callId)).Media;
        Assert.NotNull(media);
        Assert.Equal((Packets, Packets * 172L), (media.FromCaller.Packets, media.FromCaller.Bytes));
        Assert.Equal((Packets, Packets * 172L), (media.FromCallee.Packets, media.FromCallee.Bytes));
        Assert.Equal(engine.Address.ToString(), media.Engine);

        using var client = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);
        Assert.Empty(await client.ListAsync(engine.Address));

        // The media metrics under the Prometheus names the dashboard and alerts use (docs/media.md, "Metrics"). The
        // delete's counts are recorded before the CDR is written, so they are there already.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.HttpPort}"), Timeout = TimeSpan.FromSeconds(20) };
        var metrics = (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Split('\n');
        Assert.Equal("50", Value(metrics, "callcontrol_media_rtp_packets_total", "direction=\"caller_to_callee\""));
        Assert.Equal("50", Value(metrics, "callcontrol_media_rtp_packets_total", "direction=\"callee_to_caller\""));
        Assert.Equal("8600", Value(metrics, "callcontrol_media_rtp_bytes_total", "direction=\"caller_to_callee\""));
        Assert.Equal("1", Value(metrics, "callcontrol_media_calls_total"));
        Assert.Equal("1", Value(metrics, "callcontrol_media_ng_commands_total", "command=\"offer\"", "result=\"ok\""));
        Assert.Equal("1", Value(metrics, "callcontrol_media_ng_commands_total", "command=\"delete\"", "result=\"ok\""));
        Assert.Equal("1", Value(metrics, "callcontrol_media_ng_duration_seconds_count", "command=\"answer\"", "result=\"ok\""));
        Assert.Equal("1", Value(metrics, "callcontrol_media_rtpengine_up", $"engine=\"{engine.Address}\""));
        Assert.NotNull(Value(metrics, "callcontrol_media_rtpengine_sessions", $"engine=\"{engine.Address}\""));
    }

    /// <summary>The value of the first sample of <paramref name="name"/> with all of <paramref name="labels"/>, or null.</summary>
    private static string? Value(string[] scrape, string name, params string[] labels) =>
        scrape.Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Select(l => (l.Contains('{', StringComparison.Ordinal) ? l[(l.IndexOf('}', StringComparison.Ordinal) + 1)..] : l[name.Length..]).Trim().Split(' ')[0])
            .FirstOrDefault();

    private static string Port(RtpPeer peer) => " " + peer.Port.ToString(CultureInfo.InvariantCulture) + " ";
}
