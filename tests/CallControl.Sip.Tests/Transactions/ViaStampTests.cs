using System.Net;
using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Transactions;

/// <summary>A response's top Via says where its request came from (RFC 3261 §18.2.1 received, RFC 3581 rport), on every transport.</summary>
public sealed class ViaStampTests
{
    private static readonly SipEndPoint Natted = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("172.31.1.2"), 20345));

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public void An_empty_rport_gets_the_source_port_and_received_the_source_address(SipTransportKind transport)
    {
        var request = Request("SIP/2.0/UDP 10.250.1.2:5060;rport;branch=z9hG4bK-1, SIP/2.0/UDP proxy.example.net;branch=z9hG4bK-0");

        var stamped = Stamp(request, Natted with { Transport = transport });

        var vias = stamped.Vias;
        Assert.Equal("20345", vias[0].Parameters["rport"]);
        Assert.Equal("172.31.1.2", vias[0].Received);
        Assert.Equal("z9hG4bK-1", vias[0].Branch);
        Assert.Null(vias[1].Received); // only the top Via is ours to stamp
    }

    [Fact]
    public void A_sent_by_that_is_not_the_source_gets_received_only()
    {
        var stamped = Stamp(Request("SIP/2.0/UDP 10.250.1.2:5060;branch=z9hG4bK-2"), Natted);

        Assert.Equal("172.31.1.2", stamped.TopVia.Received);
        Assert.False(stamped.TopVia.Parameters.Contains("rport"));
    }

    [Fact]
    public void A_sent_by_that_is_the_source_without_rport_is_sent_as_built()
    {
        var request = Request("SIP/2.0/UDP 172.31.1.2:20345;branch=z9hG4bK-3");
        var response = SipResponses.Create(request, 200).ToArray();

        Assert.True(ViaStamp.Apply(response, request, Natted).Span.SequenceEqual(response));
    }

    [Fact]
    public void A_compact_via_and_an_rport_with_a_value_are_handled()
    {
        var request = Request("SIP/2.0/UDP 10.250.1.2:5060;rport=5060;branch=z9hG4bK-4");
        var response = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(SipResponses.Create(request, 200).ToArray()).Replace("\r\nVia:", "\r\nv:", StringComparison.Ordinal));

        var stamped = SipParser.ParseTrusted(ViaStamp.Apply(response, request, Natted).ToArray());

        Assert.Equal("5060", stamped.TopVia.Parameters["rport"]); // a value the client gave is not ours to change
        Assert.Equal("172.31.1.2", stamped.TopVia.Received);
    }

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public void An_IPv6_source_gets_a_bare_received_and_its_port_in_rport(SipTransportKind transport)
    {
        var request = Request("SIP/2.0/UDP [2001:db8::20]:5060;rport;branch=z9hG4bK-6");
        var source = new SipEndPoint(transport, new IPEndPoint(IPAddress.Parse("2001:db8::99"), 40123));

        var response = Encoding.ASCII.GetString(ViaStamp.Apply(SipResponses.Create(request, 200).ToArray(), request, source).Span);

        // received = IPv6address, without brackets (RFC 3261 §20.42 grammar, RFC 5118 §4.5); rport stays a number.
        Assert.Contains("Via: SIP/2.0/UDP [2001:db8::20]:5060;rport=40123;branch=z9hG4bK-6;received=2001:db8::99\r\n", response, StringComparison.Ordinal);
        var via = SipParser.ParseTrusted(Encoding.ASCII.GetBytes(response)).TopVia;
        Assert.Equal(("2001:db8::99", "40123"), (via.Received, via.Parameters["rport"]));
    }

    [Fact]
    public void An_IPv6_sent_by_that_is_the_source_however_written_needs_no_received()
    {
        var request = Request("SIP/2.0/UDP [2001:DB8:0::20]:5060;branch=z9hG4bK-7");
        var response = SipResponses.Create(request, 200).ToArray();
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("2001:db8::20"), 5060));

        Assert.True(ViaStamp.Apply(response, request, source).Span.SequenceEqual(response));
    }

    [Fact]
    public void A_link_local_source_is_received_without_its_zone_index()
    {
        var source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("fe80::7%3"), 5062));

        var stamped = Stamp(Request("SIP/2.0/UDP [fe80::1]:5060;branch=z9hG4bK-8"), source);

        Assert.Equal("fe80::7", stamped.TopVia.Received);
    }

    private static SipMessage Stamp(SipMessage request, SipEndPoint source)
        => SipParser.ParseTrusted(ViaStamp.Apply(SipResponses.Create(request, 200).ToArray(), request, source).ToArray());

    private static SipMessage Request(string via) => SipParser.ParseTrusted(SipMessageBuilder.Request(SipMethod.Register, "sip:example.com")
        .Add(HeaderId.Via, via)
        .Add(HeaderId.MaxForwards, 70)
        .Add(HeaderId.From, "<sip:alice@example.com>;tag=a")
        .Add(HeaderId.To, "<sip:alice@example.com>")
        .Add(HeaderId.CallId, "via-stamp")
        .Add(HeaderId.CSeq, "1 REGISTER")
        .ToArray());
}
