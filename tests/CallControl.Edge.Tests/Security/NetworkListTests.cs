using System.Net;
using CallControl.Edge.Security;

namespace CallControl.Edge.Tests.Security;

/// <summary>The border's address lists: CIDR and single addresses, IPv4 and IPv6, IPv4-mapped sources, and what an operator mistypes.</summary>
public sealed class NetworkListTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("0.0.0.0/0", "203.0.113.7", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)] // every IPv4 address is not every address
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::/32", "192.0.2.1", false)]
    [InlineData("::/0", "2001:db8::1", true)]
    [InlineData("203.0.113.7", "203.0.113.7", true)] // one address is a /32
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    [InlineData("2001:db8::7", "2001:db8::7", true)] // ... or a /128
    [InlineData("2001:db8::7", "2001:db8::8", false)]
    [InlineData(" 198.51.100.0/24 ", "198.51.100.9", true)] // spaces around an entry are an operator's, not part of it
    public void An_address_is_in_the_network_its_prefix_covers(string network, string address, bool contained)
        => Assert.Equal(contained, NetworkList.Parse([network]).Contains(IPAddress.Parse(address)));

    [Theory]
    [InlineData("192.0.2.0/24", "::ffff:192.0.2.9", true)]         // a dual-stack socket's view of an IPv4 source
    [InlineData("192.0.2.0/24", "::ffff:192.0.3.9", false)]
    [InlineData("192.0.2.9", "::ffff:192.0.2.9", true)]
    [InlineData("::ffff:192.0.2.9", "192.0.2.9", true)]            // an entry written IPv4-mapped is that IPv4 address
    [InlineData("::ffff:192.0.2.9", "::ffff:192.0.2.9", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.2.9", true)]        // ... or that IPv4 network
    [InlineData("::ffff:192.0.2.0/120", "::ffff:192.0.2.9", true)]
    [InlineData("::ffff:192.0.2.0/120", "192.0.3.9", false)]
    public void An_IPv4_mapped_address_is_judged_as_its_IPv4_address_in_a_source_or_an_entry(string network, string address, bool contained)
        => Assert.Equal(contained, NetworkList.Parse([network]).Contains(IPAddress.Parse(address)));

    [Fact]
    public void An_address_in_any_network_of_the_list_is_in_the_list()
    {
        var list = NetworkList.Parse(["10.0.0.0/8", "2001:db8::/32", "198.51.100.7"]);

        Assert.True(list.Contains(IPAddress.Parse("10.1.2.3")));
        Assert.True(list.Contains(IPAddress.Parse("2001:db8::5")));
        Assert.True(list.Contains(IPAddress.Parse("198.51.100.7")));
        Assert.False(list.Contains(IPAddress.Parse("198.51.100.8")));
        Assert.False(list.IsEmpty);
    }

    [Theory]
    [InlineData]
    [InlineData("")]          // CallControl__Security__DeniedNetworks__0= : set, to nothing
    [InlineData(" ", "\t")]
    public void Empty_items_are_skipped_and_an_empty_list_contains_nothing(params string[] entries)
    {
        var list = NetworkList.Parse(entries);

        Assert.True(list.IsEmpty);
        Assert.False(list.Contains(IPAddress.Loopback));
        Assert.False(list.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void No_list_at_all_is_the_empty_list()
    {
        Assert.True(NetworkList.Parse(null).IsEmpty);
        Assert.True(NetworkList.Empty.IsEmpty);
        Assert.False(NetworkList.Empty.Contains(IPAddress.Loopback));
    }

    [Theory]
    [InlineData(0, new[] { "not-an-address" })]
    [InlineData(1, new[] { "10.0.0.0/8", "10.0.0.1/8" })]       // host bits below the prefix: a typo an operator should see
    [InlineData(2, new[] { "10.0.0.0/8", "", "10.0.0.0/33" })] // the index counts empty items, as configuration does
    [InlineData(1, new[] { "::1", "2001:db8::/129" })]
    [InlineData(0, new[] { "192.0.2.0/" })]
    [InlineData(0, new[] { "192.0.2.0/24/8" })]
    [InlineData(0, new[] { "example.com" })]
    public void A_bad_entry_is_refused_with_its_index_and_text(int index, string[] entries)
    {
        var error = Assert.Throws<FormatException>(() => NetworkList.Parse(entries));

        Assert.StartsWith($"{index}: '{entries[index]}' is not a network", error.Message, StringComparison.Ordinal);
    }
}
