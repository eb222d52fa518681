using CallControl.Sip.Dns;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Dns;

/// <summary>RFC 3263 §4: which lookups a URI needs before anything is sent to it.</summary>
public sealed class TargetLookupTests
{
    [Theory]
    [InlineData("sip:carrier.example", LookupKind.Service, "carrier.example", null, null, false)]
    [InlineData("sips:carrier.example", LookupKind.Service, "carrier.example", SipTransportKind.Tls, null, true)]
    [InlineData("sip:carrier.example;transport=tcp", LookupKind.Service, "carrier.example", SipTransportKind.Tcp, null, false)]
    [InlineData("sip:carrier.example:5080", LookupKind.Addresses, "carrier.example", SipTransportKind.Udp, 5080, false)]
    [InlineData("sip:carrier.example:5081;transport=tls", LookupKind.Addresses, "carrier.example", SipTransportKind.Tls, 5081, false)]
    [InlineData("sip:192.0.2.7", LookupKind.None, "192.0.2.7", SipTransportKind.Udp, null, false)]
    [InlineData("sip:[2001:db8::7]:5070", LookupKind.None, "2001:db8::7", SipTransportKind.Udp, 5070, false)]
    [InlineData("sip:1000@carrier.example;maddr=192.0.2.9", LookupKind.None, "192.0.2.9", SipTransportKind.Udp, null, false)]
    public void A_uri_needs_the_lookups_rfc_3263_gives_it(string uri, LookupKind kind, string host, SipTransportKind? transport, int? port, bool secure)
        => Assert.Equal(new TargetLookup(kind, host, transport, port, secure), TargetLookup.For(SipUri.Parse(uri)));

    [Theory]
    [InlineData("sip:carrier.example", 5060)]
    [InlineData("sips:carrier.example", 5061)]
    [InlineData("sip:carrier.example;transport=tls", 5061)]
    [InlineData("sip:carrier.example;transport=tcp", 5060)]
    public void The_default_port_follows_the_transport(string uri, int port)
        => Assert.Equal(port, TargetLookup.For(SipUri.Parse(uri)).DefaultPort);
}
