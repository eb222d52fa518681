using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.EndToEnd.Tests.Infrastructure.Media;
using CallControl.Grains;
using CallControl.Media.Ng;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Anchored calls between real sipp phones through the node and a real rtpengine (issue 19; docs/media.md): the caller
/// (127.0.0.2) plays Debian's g711a.pcap (236 RTP packets, 7 s) to the address its 200 named, the callee (127.0.0.3)
/// echoes every packet (<c>-rtp_echo</c>). Each SDP a phone received names rtpengine alone, RTP crosses rtpengine both
/// ways (the CDR's media object counts it), and rtpengine holds nothing once the call is over.
/// </summary>
public sealed class SippMediaAnchorTests(SippMediaAnchorFixture fixture) : IClassFixture<SippMediaAnchorFixture>, IDisposable
{
    private const int PcapPackets = 236; // /usr/share/sip-tester/g711a.pcap
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-media-").FullName;

    [Fact]
    public async Task Rtp_from_sipp_crosses_rtpengine_both_ways_each_side_sees_only_rtpengines_address_and_the_cdr_counts_it()
    {
        var (calleeGot, callerGot, media) = await CallAsync("media-uac.xml", "media-sipp-");

        Assert.Contains(calleeGot, m => m.StartLine.StartsWith("INVITE ", StringComparison.Ordinal));
        Assert.Contains(callerGot, m => m.CSeq == "1 INVITE" && m.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal));
        Assert.InRange(media.FromCaller.Packets, 1, PcapPackets);
        Assert.InRange(media.FromCallee.Packets, 1, media.FromCaller.Packets); // the echo of what rtpengine passed on
    }

    [Fact]
    public async Task A_reinvite_with_a_new_offer_is_re_offered_through_rtpengine_and_media_flows_after_it()
    {
        var (calleeGot, callerGot, media) = await CallAsync("media-reinvite-uac.xml", "media-reinvite-");

        // The re-INVITE's offer (PCMA and PCMU) reached the callee, rewritten (CallAsync checked every SDP either side got);
        // so did the answer in its 200 the caller got.
        var offers = calleeGot.Where(m => m.StartLine.StartsWith("INVITE ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain("RTP/AVP 8 0", offers[0].Body, StringComparison.Ordinal);
        Assert.Contains(offers, m => m.Body.Contains("RTP/AVP 8 0", StringComparison.Ordinal));
        Assert.Contains(callerGot, m => m.CSeq == "2 INVITE" && m.StartLine.StartsWith("SIP/2.0 200", StringComparison.Ordinal));

        // The pcap is played once before the re-INVITE and once after it: more than one play's packets, each way,
        // crossed rtpengine only if media flowed after the re-INVITE.
        Assert.InRange(media.FromCaller.Packets, PcapPackets + 1, 2 * PcapPackets);
        Assert.InRange(media.FromCallee.Packets, PcapPackets + 1, media.FromCaller.Packets);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>
    /// One call from <paramref name="scenario"/> to the echoing callee, both sipp processes exiting 0, every SDP either
    /// received rtpengine's alone; returns what each received and the CDR's media object, once rtpengine holds no call.
    /// </summary>
    private async Task<(IReadOnlyList<SippMessage> CalleeGot, IReadOnlyList<SippMessage> CallerGot, CallMediaRecord Media)> CallAsync(string scenario, string prefix)
    {
        prefix += Guid.NewGuid().ToString("N")[..8] + "-";
        var calleeMessages = Path.Combine(_work, "callee-messages.log");
        var callerMessages = Path.Combine(_work, "caller-messages.log");
        await using var callee = await Sipp.StartCalleeAsync(
            "media-echo-uas.xml", "udp", fixture.Callee, 1, _work, "-mi", fixture.Callee.Address.ToString(), "-rtp_echo", "-trace_msg", "-message_file", calleeMessages);
        var (exit, output) = await Sipp.RunCallerAsync(
            scenario, "udp", new IPEndPoint(IPAddress.Loopback, fixture.Node.SipPort), SippMediaAnchorFixture.CallerAddress, 1, 1, prefix, _work,
            "-mi", SippMediaAnchorFixture.CallerAddress.ToString(), "-trace_msg", "-message_file", callerMessages);
        Assert.True(exit == 0, $"caller: {output}\nnode: {fixture.Node.Output}");
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var cdr = Assert.Single(await CdrsAsync(prefix));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.NotNull(cdr.Media);
        Assert.Equal(fixture.Engine.Address.ToString(), cdr.Media.Engine);
        using var client = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);
        Assert.Empty(await client.ListAsync(fixture.Engine.Address));
        var calleeGot = SippMessages.ReceivedWithBody(calleeMessages);
        var callerGot = SippMessages.ReceivedWithBody(callerMessages);
        Assert.All(calleeGot.Concat(callerGot), m => AnchoredSdp.Assert(m.Body, "127.0.0.1", fixture.Engine.PortMin, fixture.Engine.PortMax));
        return (calleeGot, callerGot, cdr.Media);
    }

    /// <summary>The call's CDRs: durable before the caller's 200 to its BYE, but the JSON-lines file may lag its outbox (a bounded read).</summary>
    private async Task<IReadOnlyList<CallDetailRecord>> CdrsAsync(string prefix)
    {
        var cdrs = fixture.Node.CdrsFor(prefix);
        for (var attempt = 0; attempt < 100 && cdrs.Count == 0; attempt++)
        {
            await Task.Delay(100);
            cdrs = fixture.Node.CdrsFor(prefix);
        }

        return cdrs;
    }
}
