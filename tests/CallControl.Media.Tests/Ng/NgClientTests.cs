using CallControl.Media.Bencode;
using CallControl.Media.Ng;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallControl.Media.Tests.Ng;

public sealed class NgClientTests : IDisposable
{
    private static readonly NgRetry Fast = new(TimeSpan.FromMilliseconds(200), 3);
    private static readonly NgRetry Patient = new(TimeSpan.FromSeconds(10), 1); // no retransmission to confuse the count
    private readonly FakeNgServer _server = new();
    private readonly NgClient _client = new(Fast, TimeProvider.System, NullLogger<NgClient>.Instance);

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public async Task An_unanswered_command_is_retransmitted_byte_for_byte_with_the_same_cookie()
    {
        var ping = _client.PingAsync(_server.Address);
        var first = await _server.NextAsync(); // dropped, as a lost datagram
        var second = await _server.NextAsync();
        Assert.Equal(first.Datagram, second.Datagram);
        await _server.ReplyAsync(second, new BencodeDictionary { ["result"] = "pong" });
        await ping;
        Assert.Equal(0, _client.InFlight);
    }

    [Fact]
    public async Task No_reply_after_every_attempt_is_a_timeout_naming_the_attempts()
    {
        var started = TimeProvider.System.GetTimestamp();
        var e = await Assert.ThrowsAsync<NgTimeoutException>(() => _client.PingAsync(_server.Address));
        Assert.Equal(3, e.Attempts);
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(550));
        var datagrams = new[] { await _server.NextAsync(), await _server.NextAsync(), await _server.NextAsync() };
        Assert.Single(datagrams.Select(d => Convert.ToHexString(d.Datagram)).Distinct());
        Assert.False(_server.TryNext(out _));
    }

    [Fact]
    public async Task Each_command_has_a_new_cookie_and_carries_its_name()
    {
        var one = _client.SendAsync(_server.Address, "list", null, Patient, default);
        var two = _client.SendAsync(_server.Address, "list", null, Patient, default);
        var a = await _server.NextAsync();
        var b = await _server.NextAsync();
        Assert.NotEqual(a.Cookie, b.Cookie);
        Assert.Equal("list", a.Command);
        await _server.ReplyAsync(a, new BencodeDictionary { ["result"] = "ok" });
        await _server.ReplyAsync(b, new BencodeDictionary { ["result"] = "ok" });
        await Task.WhenAll(one, two);
    }

    [Fact]
    public async Task Concurrent_commands_get_their_own_replies_whatever_the_order()
    {
        var commands = Enumerable.Range(0, 20).Select(i => _client.SendAsync(_server.Address, "query", new BencodeDictionary { ["call-id"] = $"c{i}" }, Patient, default)).ToList();
        var received = new List<FakeNgServer.Received>();
        for (var i = 0; i < 20; i++)
        {
            received.Add(await _server.NextAsync());
        }

        foreach (var r in Enumerable.Reverse(received).DistinctBy(r => r.Cookie))
        {
            await _server.ReplyAsync(r, new BencodeDictionary { ["result"] = "ok", ["echo"] = r.Message.Text("call-id")! });
        }

        var replies = await Task.WhenAll(commands);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"c{i}"), replies.Select(r => r.Text("echo")));
    }

    [Fact]
    public async Task An_error_result_is_a_typed_exception_with_the_reason()
    {
        var query = _client.QueryAsync(_server.Address, "nope");
        var r = await _server.NextAsync();
        await _server.ReplyAsync(r, new BencodeDictionary { ["result"] = "error", ["error-reason"] = "Unknown call-id" });
        var e = await Assert.ThrowsAsync<NgErrorException>(() => query);
        Assert.Equal("Unknown call-id", e.Reason);
        Assert.Equal("query", e.Command);
    }

    [Fact]
    public async Task A_reply_that_is_not_ng_is_a_protocol_exception()
    {
        var ping = _client.PingAsync(_server.Address);
        var r = await _server.NextAsync();
        await _server.ReplyAsync(r, new BencodeDictionary { ["no-result"] = "x" });
        await Assert.ThrowsAsync<NgProtocolException>(() => ping);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_and_forgets_the_command()
    {
        using var cancel = new CancellationTokenSource();
        var ping = _client.PingAsync(_server.Address, new NgRetry(TimeSpan.FromSeconds(30), 1), cancel.Token);
        await _server.NextAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ping);
        Assert.Equal(0, _client.InFlight);
    }

    [Fact]
    public void Requests_carry_the_verified_keys()
    {
        var offer = new OfferRequest("c1", "a1", "v=0\r\n") { Media = MediaFlags.Default with { TransportProtocol = "RTP/SAVP", Sdes = ["off"] } }.ToArguments();
        Assert.Equal(["origin", "session-connection"], offer.List("replace")!.Texts());
        Assert.Equal(["trust-address"], offer.List("flags")!.Texts());
        Assert.Equal("remove", offer.Text("ICE"));
        Assert.Equal("RTP/SAVP", offer.Text("transport-protocol"));
        Assert.Equal(["off"], offer.List("SDES")!.Texts());
        Assert.Null(offer["to-tag"]);
        Assert.Null(offer["DTLS"]);
        Assert.Equal(0, new DeleteRequest("c1", "a1").ToArguments().Integer("delete-delay"));
    }
}
