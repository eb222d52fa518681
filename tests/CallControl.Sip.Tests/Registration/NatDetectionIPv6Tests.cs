using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Registration;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Registration;

/// <summary>NAT detection with IPv6 phones (issue 20): a bracketed Contact or Via host is the bare source address it names.</summary>
public sealed class NatDetectionIPv6Tests
{
    [Theory]
    [InlineData("[2001:db8::5]", "[2001:db8::5]")] // peers carry URI hosts (SipHost)
    [InlineData("[2001:db8::5]", "2001:db8::5")]
    [InlineData("[2001:DB8:0::5]", "[2001:db8::5]")] // one address, two writings
    public void A_phone_whose_contact_and_via_name_its_IPv6_source_is_not_behind_nat(string written, string source)
    {
        var register = Register(written, 5062);

        Assert.False(NatDetection.IsBehindNat(register, register.Addresses(HeaderId.Contact)[0], SipTransportKind.Udp, source, 5062));
    }

    [Fact]
    public void A_phone_whose_contact_names_a_unique_local_address_from_a_global_one_is_behind_nat()
    {
        var register = Register("[fd00::5]", 5062);

        Assert.True(NatDetection.IsBehindNat(register, register.Addresses(HeaderId.Contact)[0], SipTransportKind.Udp, "[2001:db8::5]", 5062));
        Assert.True(NatDetection.IsPrivate("[fd00::5]"));
        Assert.True(NatDetection.IsPrivate("[fe80::1]"));
        Assert.False(NatDetection.IsPrivate("[2001:db8::5]"));
    }

    [Fact]
    public void Another_udp_port_from_the_same_IPv6_address_is_a_nat_binding()
    {
        var register = Register("[2001:db8::5]", 5062);

        Assert.True(NatDetection.IsBehindNat(register, register.Addresses(HeaderId.Contact)[0], SipTransportKind.Udp, "[2001:db8::5]", 40001));
    }

    private static SipMessage Register(string host, int port) => SipParser.ParseTrusted(SipMessageBuilder.Request(SipMethod.Register, "sip:example.com")
        .Add(HeaderId.Via, $"SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bK-nat6")
        .Add(HeaderId.MaxForwards, 70)
        .Add(HeaderId.From, "<sip:alice@example.com>;tag=a")
        .Add(HeaderId.To, "<sip:alice@example.com>")
        .Add(HeaderId.CallId, "nat6")
        .Add(HeaderId.CSeq, "1 REGISTER")
        .Add(HeaderId.Contact, $"<sip:alice@{host}:{port}>")
        .ToArray());
}
