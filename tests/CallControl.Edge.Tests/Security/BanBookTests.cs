using System.Net;
using CallControl.Edge.Security;
using CallControl.Grains;

namespace CallControl.Edge.Tests.Security;

/// <summary>The bans an edge enforces: added, extended (never shortened), ended by the clock, swept, replaced by the cluster's list.</summary>
public sealed class BanBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Source = IPAddress.Parse("203.0.113.7");

    private readonly BanBook _book = new();

    [Fact]
    public void A_ban_applies_until_it_ends()
    {
        Assert.True(_book.Add(Ban("203.0.113.7", minutes: 10), Now));

        Assert.True(_book.IsBanned(Source, Now));
        Assert.True(_book.IsBanned(Source, Now.AddMinutes(10).AddTicks(-1)));
        Assert.False(_book.IsBanned(Source, Now.AddMinutes(10)));
        Assert.False(_book.IsBanned(IPAddress.Parse("203.0.113.8"), Now));
        Assert.Equal(1, _book.Live(Now));
        Assert.Equal(0, _book.Live(Now.AddMinutes(10)));
    }

    [Fact]
    public void An_empty_book_bans_nothing()
    {
        Assert.False(_book.IsBanned(Source, Now));
        Assert.Equal(0, _book.Count);
    }

    [Fact]
    public void Banning_again_extends_and_is_not_a_new_ban_but_a_shorter_ban_never_shortens()
    {
        _book.Add(Ban("203.0.113.7", minutes: 10), Now);

        Assert.False(_book.Add(Ban("203.0.113.7", minutes: 30), Now));
        Assert.True(_book.IsBanned(Source, Now.AddMinutes(20)));
        Assert.False(_book.Add(Ban("203.0.113.7", minutes: 1), Now));
        Assert.True(_book.IsBanned(Source, Now.AddMinutes(20)));
        Assert.Equal(1, _book.Count);
    }

    [Fact]
    public void A_ban_after_the_last_one_ended_is_a_new_ban()
    {
        _book.Add(Ban("203.0.113.7", minutes: 10), Now);

        Assert.True(_book.Add(Ban("203.0.113.7", minutes: 10, from: Now.AddMinutes(15)), Now.AddMinutes(15)));
        Assert.True(_book.IsBanned(Source, Now.AddMinutes(20)));
    }

    [Fact]
    public void A_ban_of_something_that_is_not_an_address_is_ignored()
    {
        Assert.False(_book.Add(Ban("example.com", minutes: 10), Now));
        Assert.Equal(0, _book.Count);
        Assert.Null(_book.Remove("example.com"));
    }

    [Fact]
    public void An_IPv6_ban_applies_to_the_address_however_it_is_written()
    {
        _book.Add(Ban("2001:db8::7", minutes: 10), Now);

        Assert.True(_book.IsBanned(IPAddress.Parse("2001:0db8:0000::0007"), Now));
        Assert.NotNull(_book.Remove("2001:DB8::7"));
        Assert.False(_book.IsBanned(IPAddress.Parse("2001:db8::7"), Now));
    }

    [Fact]
    public void An_IPv4_ban_applies_to_the_source_arriving_as_an_IPv4_mapped_address()
    {
        _book.Add(Ban("203.0.113.7", minutes: 10), Now);

        Assert.True(_book.IsBanned(Source.MapToIPv6(), Now));
        Assert.NotNull(_book.Remove("::ffff:203.0.113.7"));
        Assert.False(_book.IsBanned(Source, Now));
    }

    [Fact]
    public void Remove_lifts_a_ban_and_returns_it()
    {
        var ban = Ban("203.0.113.7", minutes: 10);
        _book.Add(ban, Now);

        Assert.Equal(ban, _book.Remove("203.0.113.7"));
        Assert.False(_book.IsBanned(Source, Now));
        Assert.Null(_book.Remove("203.0.113.7"));
    }

    [Fact]
    public void A_sweep_removes_and_returns_the_ended_bans_only()
    {
        var ended = Ban("192.0.2.1", minutes: 1);
        _book.Add(ended, Now);
        _book.Add(Ban("192.0.2.2", minutes: 10), Now);

        Assert.Equal([ended], _book.Sweep(Now.AddMinutes(1)));
        Assert.Equal(1, _book.Count);
        Assert.Empty(_book.Sweep(Now.AddMinutes(1)));
        Assert.True(_book.IsBanned(IPAddress.Parse("192.0.2.2"), Now.AddMinutes(1)));
    }

    [Fact]
    public void Replace_holds_exactly_the_given_bans_and_returns_those_it_lifted()
    {
        var kept = Ban("192.0.2.1", minutes: 10);
        var lifted = Ban("192.0.2.2", minutes: 10);
        _book.Add(kept, Now);
        _book.Add(lifted, Now);

        var result = _book.Replace([kept, Ban("192.0.2.3", minutes: 5)], Now);

        Assert.Equal([lifted], result);
        Assert.Equal(2, _book.Count);
        Assert.True(_book.IsBanned(IPAddress.Parse("192.0.2.1"), Now));
        Assert.False(_book.IsBanned(IPAddress.Parse("192.0.2.2"), Now));
        Assert.True(_book.IsBanned(IPAddress.Parse("192.0.2.3"), Now));
    }

    [Fact]
    public void Replace_with_nothing_lifts_everything()
    {
        _book.Add(Ban("192.0.2.1", minutes: 10), Now);
        _book.Add(Ban("2001:db8::1", minutes: 10), Now);

        Assert.Equal(2, _book.Replace([], Now).Count);
        Assert.Equal(0, _book.Count);
    }

    internal static SourceBan Ban(string source, int minutes, DateTimeOffset? from = null) => new(source, (from ?? Now).AddMinutes(minutes), "flood", "edge-1");
}
