using System.Net;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Tests.Headers;

/// <summary>
/// The one rule for hosts (issue 20, IPv6): a host is kept as a SIP URI writes it, IPv6 in brackets (RFC 5118 §4), so
/// Via, Contact and Request-URIs take it as it is; a socket address and Via's received take it bare.
/// </summary>
public sealed class SipHostTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("::1", "[::1]")]
    [InlineData("2001:DB8:0::1", "[2001:db8::1]")] // the canonical text: two writings of one address are one host
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")] // IPv4-mapped: the IPv4 address it carries
    [InlineData("fe80::1%2", "[fe80::1]")] // a SIP URI has no syntax for a zone index
    public void An_address_is_written_as_a_uri_host(string address, string host)
        => Assert.Equal(host, SipHost.Of(IPAddress.Parse(address)));

    [Fact]
    public void An_IPv4_host_is_the_same_text_IPAddress_gives()
    {
        var address = IPAddress.Parse("198.51.100.20");
        Assert.Equal(address.ToString(), SipHost.Of(address));
    }

    [Theory]
    [InlineData("::1", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("2001:db8::5", "[2001:db8::5]")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("sip.example.com", "sip.example.com")]
    public void A_configured_host_is_normalized_to_the_uri_form(string configured, string host)
        => Assert.Equal(host, SipHost.Normalize(configured));

    [Theory]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("example.com", "example.com")]
    public void Bare_drops_only_the_brackets_of_an_IPv6_reference(string host, string bare)
    {
        Assert.Equal(bare, SipHost.Bare(host));
        Assert.Equal(bare, SipHost.Bare(host.AsSpan()).ToString());
    }

    [Theory]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("[::1]:5060", false)] // IPAddress.TryParse would take it and drop the port
    [InlineData("[192.0.2.1]", false)] // brackets are for IPv6 references only
    [InlineData("[::1", false)]
    [InlineData("::1]", false)]
    [InlineData("example.com", false)]
    [InlineData("", false)]
    public void An_address_alone_parses_and_one_with_a_port_does_not(string text, bool parses)
        => Assert.Equal(parses, SipHost.TryParseAddress(text, out _));

    [Fact]
    public void A_sip_uri_with_an_IPv6_target_keeps_the_brackets_in_its_host()
    {
        var uri = SipUri.Parse("sip:[::1]:5090;transport=tcp");

        Assert.Equal("[::1]", uri.Host);
        Assert.Equal(5090, uri.Port);
        Assert.Equal("tcp", uri.Transport);
        Assert.Equal("sip:[::1]:5090;transport=tcp", uri.ToString());
    }

    [Fact]
    public void A_via_with_an_IPv6_sent_by_and_a_bare_received_parses_and_writes_back_unquoted()
    {
        Assert.True(ViaHeader.TryParse("SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK-6;received=2001:db8::9;rport=5070", out var via));

        Assert.Equal("[2001:db8::9]", via.Host);
        Assert.Equal(5070, via.Port);
        Assert.Equal("2001:db8::9", via.Received);
        Assert.Equal("[2001:db8::9]:5070", via.SentBy);
        // received's grammar is IPv6address (RFC 5118 §4.5): quoted, it would be a string to the next parser.
        Assert.Equal("SIP/2.0/UDP [2001:db8::9]:5070;branch=z9hG4bK-6;received=2001:db8::9;rport=5070", via.ToString());
    }

    [Fact]
    public void A_parameter_value_that_is_no_address_is_still_quoted()
    {
        var via = new ViaHeader("UDP", "[::1]", 5060, new HeaderParameters());
        via.Parameters.Set("x", "a:b");

        Assert.Equal("SIP/2.0/UDP [::1]:5060;x=\"a:b\"", via.ToString());
    }
}
