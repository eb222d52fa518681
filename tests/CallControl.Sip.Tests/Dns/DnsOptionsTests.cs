using System.Net;
using CallControl.Sip.Dns;

namespace CallControl.Sip.Tests.Dns;

/// <summary><c>CallControl:Dns</c>: servers as an operator writes them, and settings that must stop start-up, named by key.</summary>
public sealed class DnsOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("[::1]:5353", "::1", 5353)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("::1", "::1", 53)]
    [InlineData(" 10.0.0.2:53 ", "10.0.0.2", 53)]
    public void A_server_is_an_address_with_or_without_a_port(string text, string address, int port)
        => Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), DnsOptions.ParseServer(text));

    [Theory]
    [InlineData("")]
    [InlineData("dns.example:53")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("[::1")]
    public void Anything_else_is_no_server(string text) => Assert.Null(DnsOptions.ParseServer(text));

    [Fact]
    public void A_bad_server_is_named_by_its_key()
    {
        var result = new DnsOptionsValidator().Validate(null, new DnsOptions { Servers = ["127.0.0.1:5353", "resolver.example"] });

        Assert.True(result.Failed);
        Assert.Contains("CallControl:Dns:Servers:1", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("Servers:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Timeout_retries_negative_cache_and_hops_out_of_range_are_named()
    {
        var result = new DnsOptionsValidator().Validate(null, new DnsOptions { Timeout = TimeSpan.Zero, Retries = 9, NegativeCacheFor = TimeSpan.FromDays(1), MaxHops = 0 });

        Assert.True(result.Failed);
        foreach (var key in new[] { "Timeout", "Retries", "NegativeCacheFor", "MaxHops" })
        {
            Assert.Contains($"CallControl:Dns:{key}", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_defaults_are_valid_and_ask_the_system()
    {
        var options = new DnsOptions();

        Assert.True(new DnsOptionsValidator().Validate(null, options).Succeeded);
        Assert.Empty(options.ServerEndPoints());
    }
}
