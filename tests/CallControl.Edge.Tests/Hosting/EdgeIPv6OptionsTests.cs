using CallControl.Edge.Hosting;

namespace CallControl.Edge.Tests.Hosting;

/// <summary>
/// The edge's addresses in configuration (issue 20, IPv6): ListenAddress takes an IPv6 address with or without
/// brackets, and a host with a port or a bracketed IPv4 address stops start-up naming its key.
/// </summary>
public sealed class EdgeIPv6OptionsTests
{
    [Theory]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("2001:db8::5")]
    [InlineData("::")]
    [InlineData("127.0.0.1")]
    public void An_IPv4_or_IPv6_listen_address_passes(string address)
        => Assert.True(Validate(new EdgeOptions { ListenAddress = address }).Succeeded);

    [Theory]
    [InlineData("[::1]:5060")]
    [InlineData("[127.0.0.1]")]
    [InlineData("localhost")]
    [InlineData("::1]")]
    public void A_listen_address_that_is_not_one_address_fails_naming_the_key(string address)
        => Assert.StartsWith("CallControl:Edge:ListenAddress: ", Assert.Single(Validate(new EdgeOptions { ListenAddress = address }).Failures ?? []), StringComparison.Ordinal);

    [Theory]
    [InlineData("AdvertisedHost", "::1")]
    [InlineData("AdvertisedHost", "[2001:db8::5]")]
    [InlineData("AdvertisedHost", "sip.example.com")]
    [InlineData("PublicHost", "2001:db8::6")]
    [InlineData("PublicHost", "[2001:db8::6]")]
    public void An_advertised_or_public_host_may_be_IPv6(string key, string host)
        => Assert.True(Validate(With(key, host)).Succeeded);

    [Theory]
    [InlineData("AdvertisedHost", "[::1]:5060")]
    [InlineData("AdvertisedHost", "sip.example.com:5060")]
    [InlineData("AdvertisedHost", "")]
    [InlineData("PublicHost", "[2001:db8::6]:5060")]
    public void An_advertised_or_public_host_with_a_port_fails_naming_the_key(string key, string host)
        => Assert.StartsWith($"CallControl:Edge:{key}: ", Assert.Single(Validate(With(key, host)).Failures ?? []), StringComparison.Ordinal);

    [Theory]
    [InlineData("127.0.0.1", "::1")]
    [InlineData("[::1]", "127.0.0.1")]
    [InlineData("0.0.0.0", "2001:db8::5")] // the first may be a wildcard: AdvertisedHost names it
    [InlineData("::1", "")] // an empty item is skipped (one set empty from the environment)
    public void Dual_stack_listens_on_one_address_per_family(string first, string second)
    {
        var options = new EdgeOptions { ListenAddresses = { first, second } };

        Assert.True(Validate(options).Succeeded);
        Assert.Equal(second.Length > 0 ? [first, second] : [first], options.Addresses);
    }

    [Fact]
    public void Without_listen_addresses_the_listen_address_is_the_one()
        => Assert.Equal(["::1"], new EdgeOptions { ListenAddress = "::1" }.Addresses);

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.2", "ListenAddresses:1", "a second address of its IP family")]
    [InlineData("::1", "2001:db8::5", "ListenAddresses:1", "a second address of its IP family")]
    [InlineData("127.0.0.1", "[::1]:5060", "ListenAddresses:1", "is not an IP address")]
    [InlineData("127.0.0.1", "::", "ListenAddresses:1", "is a wildcard")]
    [InlineData("nowhere", "::1", "ListenAddresses:0", "is not an IP address")]
    public void A_dual_stack_list_that_cannot_work_fails_naming_the_item(string first, string second, string key, string problem)
    {
        var failure = Assert.Single(Validate(new EdgeOptions { ListenAddresses = { first, second } }).Failures ?? []);

        Assert.StartsWith($"CallControl:Edge:{key}: ", failure, StringComparison.Ordinal);
        Assert.Contains(problem, failure, StringComparison.Ordinal);
    }

    private static EdgeOptions With(string key, string host)
        => key == "AdvertisedHost" ? new EdgeOptions { AdvertisedHost = host } : new EdgeOptions { PublicHost = host };

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(EdgeOptions options) => new EdgeOptionsValidator().Validate(null, options);
}
