using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;

namespace CallControl.Sip.Tests.Rfc5118;

/// <summary>
/// RFC 5118's IPv6 torture cases (§4), those about the SIP headers, written here as RFC 5118 describes them (the shared archive holds RFC
/// 4475's only), through the parser's untrusted path as a datagram arrives: what must parse parses with the host as a
/// bracketed reference, what must be rejected gets 400.
/// </summary>
public sealed class Ipv6TortureTests
{
    [Theory]
    [InlineData("sip:[2001:db8::10]", "[2001:db8::10]", null)] // a valid message with IPv6 references
    [InlineData("sip:[2001:db8::10:5070]", "[2001:db8::10:5070]", null)] // port ambiguous: the last group is the address's, not a port
    [InlineData("sip:[2001:db8::10]:5070", "[2001:db8::10]", 5070)] // port unambiguous: the port is outside the brackets
    [InlineData("sip:user@[::ffff:192.0.2.10]:19823", "[::ffff:192.0.2.10]", 19823)] // an IPv4-mapped address
    [InlineData("sip:user@[2001:db8::192.0.2.1]", "[2001:db8::192.0.2.1]", null)] // the ABNF case: two colons before the IPv4 part
    public void A_request_with_an_IPv6_reference_parses_and_keeps_the_brackets(string requestUri, string host, int? port)
    {
        var message = Receive(Request(requestUri, via: "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bK-5118"));

        Assert.NotNull(message);
        var uri = SipUri.Parse(message.RequestUri);
        Assert.Equal((host, port), (uri.Host, uri.Port));
        Assert.Equal("[2001:db8::9:1]", message.TopVia.Host);
    }

    [Theory]
    [InlineData("sip:user@2001:db8::10")] // an IPv6 address without brackets
    [InlineData("sip:user@[2001:db8:::192.0.2.1]")] // the ABNF case: three colons before the IPv4 part
    [InlineData("sip:user@[2001:db8::10")] // an unclosed reference
    public void A_request_uri_with_a_malformed_IPv6_host_is_rejected_with_400(string requestUri)
    {
        var bytes = Request(requestUri, via: "SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bK-5118");

        Assert.Null(Receive(bytes));
        Assert.True(SipParser.TryParse(bytes, out _, out var failure) is false);
        Assert.StartsWith("SIP/2.0 400 ", Encoding.ASCII.GetString(MalformedRequestResponder.TryBuild(bytes, failure)!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("received=[2001:db8::9:255]")] // Via delimiters: a reference...
    [InlineData("received=2001:db8::9:255")] // ...its ABNF the bare address (what the edge writes): both are taken
    public void A_via_received_in_either_form_parses(string received)
    {
        var message = Receive(Request("sip:[2001:db8::10]", via: $"SIP/2.0/UDP [2001:db8::9:1];{received};branch=z9hG4bK-5118"));

        Assert.NotNull(message);
        Assert.Equal("2001:db8::9:255", SipHost.Bare(message.TopVia.Received!));
    }

    private static SipMessage? Receive(byte[] bytes)
        => SipParser.TryParse(bytes, out var message, out _) && message.TryParseDialogHeaders(out _) ? message : null;

    private static byte[] Request(string requestUri, string via) => Encoding.ASCII.GetBytes(
        $"OPTIONS {requestUri} SIP/2.0\r\n"
        + $"Via: {via}\r\n"
        + "Max-Forwards: 70\r\n"
        + "From: \"Caller\" <sip:caller@[2001:db8::1]>;tag=5118\r\n"
        + "To: <sip:user@[2001:db8::10]>\r\n"
        + "Call-ID: rfc5118@[2001:db8::1]\r\n"
        + "CSeq: 1 OPTIONS\r\n"
        + "Contact: \"Caller\" <sip:caller@[2001:db8::1]>\r\n"
        + "Content-Length: 0\r\n\r\n");
}
