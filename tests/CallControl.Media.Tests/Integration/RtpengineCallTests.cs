using System.Net;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;

namespace CallControl.Media.Tests.Integration;

/// <summary>A call's media through a real rtpengine: offer, answer, RTP both ways, query, delete, list.</summary>
[Collection(RtpengineCollection.Name)]
public sealed class RtpengineCallTests(RtpengineFixture fixture)
{
    private readonly NgClient _client = fixture.Client;
    private readonly NgAddress _engine = fixture.Engine.Address;

    private sealed record AnchoredCall(string CallId, RtpPeer Caller, RtpPeer Callee, SdpReply Offer, SdpReply Answer) : IDisposable
    {
        public void Dispose()
        {
            Caller.Dispose();
            Callee.Dispose();
        }
    }

    private async Task<AnchoredCall> AnchorAsync()
    {
        var callId = "media-test-" + Guid.NewGuid().ToString("N");
        var caller = new RtpPeer(0x1111);
        var callee = new RtpPeer(0x2222);
        var offer = await _client.OfferAsync(_engine, new OfferRequest(callId, "a1", caller.Sdp("caller")));
        var answer = await _client.AnswerAsync(_engine, new AnswerRequest(callId, "a1", "b2", callee.Sdp("callee")));
        return new(callId, caller, callee, offer, answer);
    }

    [Fact]
    public async Task Ping_is_answered_and_statistics_count_the_sessions()
    {
        await _client.PingAsync(_engine);
        using var call = await AnchorAsync();
        var load = await _client.StatisticsAsync(_engine);
        Assert.True(load.SessionsOwn >= 1, $"sessionsown {load.SessionsOwn} with a call up");
        await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
    }

    [Fact]
    public async Task Offer_and_answer_rewrite_each_sdp_to_rtpengine_so_neither_side_sees_the_other()
    {
        using var call = await AnchorAsync();
        var toCallee = SdpText.Audio(call.Offer.Sdp);
        var toCaller = SdpText.Audio(call.Answer.Sdp);
        foreach (var seen in new[] { toCallee, toCaller })
        {
            Assert.Equal(IPAddress.Loopback, seen.Address);
            Assert.InRange(seen.Port, fixture.Engine.PortMin, fixture.Engine.PortMax);
        }

        Assert.NotEqual(toCallee.Port, toCaller.Port);
        Assert.DoesNotContain($" {call.Caller.Port} ", call.Offer.Sdp, StringComparison.Ordinal);
        Assert.DoesNotContain($" {call.Callee.Port} ", call.Answer.Sdp, StringComparison.Ordinal);
        Assert.Contains($"a=rtcp:{toCallee.Port + 1}", call.Offer.Sdp, StringComparison.Ordinal);
        await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
    }

    [Fact]
    public async Task Query_shows_both_sides_streams_with_rtpengine_ports_and_the_peers()
    {
        using var call = await AnchorAsync();
        var stats = await _client.QueryAsync(_engine, call.CallId);
        Assert.Equal(["a1", "b2"], stats.Tags.Order(StringComparer.Ordinal));
        var callerRtp = Assert.Single(stats.Streams, s => s.Tag == "a1" && !s.IsRtcp);
        var calleeRtp = Assert.Single(stats.Streams, s => s.Tag == "b2" && !s.IsRtcp);
        Assert.Equal((SdpText.Audio(call.Answer.Sdp).Port, call.Caller.Port), (callerRtp.LocalPort, callerRtp.PeerPort));
        Assert.Equal((SdpText.Audio(call.Offer.Sdp).Port, call.Callee.Port), (calleeRtp.LocalPort, calleeRtp.PeerPort));
        await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
    }

    [Fact]
    public async Task Rtp_flows_both_ways_and_delete_returns_the_counts_then_the_call_is_gone()
    {
        const int Packets = 50;
        using var call = await AnchorAsync();
        var callerGets = call.Caller.ReceiveAsync(Packets);
        var calleeGets = call.Callee.ReceiveAsync(Packets);
        await call.Caller.SendAsync(SdpText.Audio(call.Answer.Sdp), Packets); // the caller sends where its answer says
        await call.Callee.SendAsync(SdpText.Audio(call.Offer.Sdp), Packets); // the callee where its offer says
        Assert.Equal((Packets, 0x2222u), await callerGets);
        Assert.Equal((Packets, 0x1111u), await calleeGets);

        var stats = await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
        Assert.Equal(new StreamCounters(Packets, Packets * 172, 0), stats.RtpFrom("a1"));
        Assert.Equal(new StreamCounters(Packets, Packets * 172, 0), stats.RtpFrom("b2"));
        Assert.Equal(2 * Packets, stats.TotalRtp.Packets);

        Assert.DoesNotContain(call.CallId, await _client.ListAsync(_engine));
        var gone = await Assert.ThrowsAsync<NgErrorException>(() => _client.QueryAsync(_engine, call.CallId));
        Assert.Equal("Unknown call-id", gone.Reason);
    }

    [Fact]
    public async Task List_names_the_calls_up_and_is_empty_of_them_after_delete()
    {
        using var one = await AnchorAsync();
        using var two = await AnchorAsync();
        var up = await _client.ListAsync(_engine, limit: 1000);
        Assert.Contains(one.CallId, up);
        Assert.Contains(two.CallId, up);
        await _client.DeleteAsync(_engine, new DeleteRequest(one.CallId, "a1"));
        await _client.DeleteAsync(_engine, new DeleteRequest(two.CallId, "a1"));
        var after = await _client.ListAsync(_engine, limit: 1000);
        Assert.DoesNotContain(one.CallId, after);
        Assert.DoesNotContain(two.CallId, after);
    }

    [Fact]
    public async Task A_second_delete_is_harmless_and_says_the_call_is_gone()
    {
        using var call = await AnchorAsync();
        var first = await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
        var second = await _client.DeleteAsync(_engine, new DeleteRequest(call.CallId, "a1"));
        Assert.Null(first.Warning);
        Assert.Equal(["a1", "b2"], first.Tags.Order(StringComparer.Ordinal));
        Assert.Equal("Call-ID not found or tags didn't match", second.Warning);
        Assert.Empty(second.Streams);
    }
}
