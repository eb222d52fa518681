using System.Net;
using CallControl.Edge.Security;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// What the guard counts per source, on timestamps the tests choose (1,000 ticks a second): the token bucket, the
/// consecutive flood windows and the failed-attempt window of a <see cref="SourceRecord"/>, and the bounded table of them.
/// </summary>
public sealed class SourceCountersTests
{
    private const long Second = 1_000;
    private const long Start = 5 * Second; // timestamps start far from 0, as Stopwatch's do

    private static readonly RateLimit TwoASecondBurstThree = new() { PerSecond = 2, Burst = 3 };

    [Fact]
    public void A_new_bucket_is_full_and_the_burst_passes_at_once_then_nothing()
    {
        var bucket = new TokenBucket();

        Assert.Equal([true, true, true, false, false], Take(ref bucket, 5, Start));
    }

    [Fact]
    public void Tokens_come_back_at_the_rate_and_never_beyond_the_burst()
    {
        var bucket = new TokenBucket();
        Take(ref bucket, 3, Start);

        Assert.False(bucket.TryTake(TwoASecondBurstThree, Start + (Second / 4), Second)); // half a token
        Assert.True(bucket.TryTake(TwoASecondBurstThree, Start + (Second / 2), Second));  // one token by now
        Assert.False(bucket.TryTake(TwoASecondBurstThree, Start + (Second / 2), Second));

        Assert.Equal([true, true, true, false], Take(ref bucket, 4, Start + (100 * Second))); // a long silence saves only the burst
    }

    [Fact]
    public void A_limit_of_zero_a_second_never_runs_out()
    {
        var bucket = new TokenBucket();

        Assert.All(Take(ref bucket, 1000, Start, new RateLimit { PerSecond = 0, Burst = 0 }), Assert.True);
    }

    [Fact]
    public void A_source_has_a_bucket_per_kind_and_its_last_sighting_is_remembered()
    {
        var record = new SourceRecord(maxAuthFailures: 5);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(record.TryTake(RequestKind.Invite, TwoASecondBurstThree, Start, Second));
        }

        Assert.False(record.TryTake(RequestKind.Invite, TwoASecondBurstThree, Start, Second));
        Assert.True(record.TryTake(RequestKind.Register, TwoASecondBurstThree, Start + 7, Second)); // REGISTERs have their own
        Assert.Equal(Start + 7, record.LastSeen);
        Assert.False(record.Shared);
    }

    [Fact]
    public void Drops_count_one_strike_per_window_and_consecutive_windows_add_up()
    {
        var record = new SourceRecord(maxAuthFailures: 5);

        Assert.True(record.NoteDrop(10, out var strikes));  // a flood starts
        Assert.Equal(1, strikes);
        Assert.False(record.NoteDrop(10, out strikes));     // more of it in the same window: not the window's first
        Assert.Equal(1, strikes);
        Assert.True(record.NoteDrop(11, out strikes));
        Assert.Equal(2, strikes);
        Assert.True(record.NoteDrop(12, out strikes));
        Assert.Equal(3, strikes);
    }

    [Fact]
    public void A_window_without_drops_ends_the_flood()
    {
        var record = new SourceRecord(maxAuthFailures: 5);
        record.NoteDrop(10, out _);
        record.NoteDrop(11, out _);

        Assert.True(record.NoteDrop(13, out var strikes));
        Assert.Equal(1, strikes);
    }

    [Fact]
    public void Failed_attempts_are_counted_within_the_window_only()
    {
        var record = new SourceRecord(maxAuthFailures: 3);
        var window = 60 * Second;

        Assert.Equal(1, record.NoteAuthFailure(Start, window));
        Assert.Equal(2, record.NoteAuthFailure(Start + (10 * Second), window));
        Assert.Equal(3, record.NoteAuthFailure(Start + window, window));               // the first is still just within
        Assert.Equal(3, record.NoteAuthFailure(Start + window + 1, window));           // now it is not, and the fourth counts
        Assert.Equal(1, record.NoteAuthFailure(Start + (10 * window), window));        // long after: only itself
        Assert.Equal(Start + (10 * window), record.LastSeen);
    }

    [Fact]
    public void Failed_attempts_count_up_to_one_more_than_the_maximum_however_many_there_are()
    {
        var record = new SourceRecord(maxAuthFailures: 5);
        var counts = Enumerable.Range(0, 20).Select(i => record.NoteAuthFailure(Start + i, 60 * Second)).ToArray();

        Assert.Equal([1, 2, 3, 4, 5, 6], counts[..6]);
        Assert.All(counts[6..], count => Assert.Equal(6, count)); // "more than the maximum" stays true
    }

    [Fact]
    public void Each_source_has_its_own_record_until_the_table_is_full_then_new_ones_share_one()
    {
        var table = new SourceTable(capacity: 2, maxAuthFailures: 5);
        var first = table.For(IPAddress.Parse("192.0.2.1"));
        var second = table.For(IPAddress.Parse("192.0.2.2"));

        var third = table.For(IPAddress.Parse("192.0.2.3"));
        var fourth = table.For(IPAddress.Parse("192.0.2.4"));

        Assert.Same(first, table.For(IPAddress.Parse("192.0.2.1")));
        Assert.NotSame(first, second);
        Assert.False(first.Shared || second.Shared);
        Assert.Same(third, fourth);
        Assert.True(third.Shared);
        Assert.Equal(2, table.Count);
        Assert.Same(second, table.For(IPAddress.Parse("192.0.2.2"))); // known sources keep theirs when the table is full
    }

    [Fact]
    public void A_sweep_forgets_idle_sources_without_connections_and_frees_room()
    {
        var table = new SourceTable(capacity: 3, maxAuthFailures: 5);
        var idle = table.For(IPAddress.Parse("192.0.2.1"));
        var busy = table.For(IPAddress.Parse("192.0.2.2"));
        var connected = table.For(IPAddress.Parse("192.0.2.3"));
        idle.TryTake(RequestKind.Other, TwoASecondBurstThree, Start, Second);
        busy.TryTake(RequestKind.Other, TwoASecondBurstThree, Start + (10 * Second), Second);
        connected.TryTake(RequestKind.Other, TwoASecondBurstThree, Start, Second);
        connected.Connections = 1;
        Assert.True(table.For(IPAddress.Parse("192.0.2.4")).Shared);

        Assert.Equal(1, table.Sweep(Start + Second));

        Assert.Equal(2, table.Count);
        Assert.Same(busy, table.For(IPAddress.Parse("192.0.2.2")));
        Assert.Same(connected, table.For(IPAddress.Parse("192.0.2.3")));
        Assert.NotSame(idle, table.For(IPAddress.Parse("192.0.2.1"))); // forgotten: a fresh record, with a full bucket
        Assert.False(table.For(IPAddress.Parse("192.0.2.1")).Shared);
    }

    [Theory]
    [InlineData("INVITE sip:bob@example.com SIP/2.0\r\n", "INVITE")]
    [InlineData("REGISTER sip:example.com SIP/2.0\r\n", "REGISTER")]
    [InlineData("OPTIONS sip:example.com SIP/2.0\r\n", "OPTIONS")]
    [InlineData("BYE sip:bob@example.com SIP/2.0\r\n", "Other")]
    [InlineData("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n", "Other")] // a response is never an INVITE
    [InlineData("invite sip:bob@example.com SIP/2.0\r\n", "Other")]  // methods are case-sensitive (RFC 3261 §7.1)
    [InlineData("INVITEX sip:bob@example.com SIP/2.0\r\n", "Other")]
    [InlineData("REGISTER", "Other")]
    [InlineData("", "Other")]
    public void A_message_is_limited_as_the_kind_its_first_bytes_name(string message, string kind)
        => Assert.Equal(kind, RequestKinds.Of(System.Text.Encoding.ASCII.GetBytes(message)).Name()); // its RateLimits key

    private static bool[] Take(ref TokenBucket bucket, int count, long now, RateLimit? limit = null)
    {
        var taken = new bool[count];
        for (var i = 0; i < count; i++)
        {
            taken[i] = bucket.TryTake(limit ?? TwoASecondBurstThree, now, Second);
        }

        return taken;
    }
}
