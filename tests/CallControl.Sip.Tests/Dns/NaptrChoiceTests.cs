using CallControl.Sip.Dns;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Dns;

/// <summary>RFC 3263 §4.1: the NAPTR records a client follows, and the SRV names it queries without any.</summary>
public sealed class NaptrChoiceTests
{
    private static readonly HashSet<SipTransportKind> All = [SipTransportKind.Udp, SipTransportKind.Tcp, SipTransportKind.Tls];

    // RFC 3263 §4.1's example, in a shuffled order, with one record of a service SIP does not use.
    private static readonly NaptrRecord[] Example =
    [
        new(90, 50, "s", "SIP+D2T", "_sip._tcp.example.com."),
        new(50, 50, "s", "SIPS+D2T", "_sips._tcp.example.com."),
        new(100, 50, "s", "SIP+D2U", "_sip._udp.example.com."),
        new(10, 10, "u", "E2U+sip", "!^.*$!sip:info@example.com!"),
    ];

    [Fact]
    public void The_records_are_followed_by_order_then_preference_each_with_its_transport()
        => Assert.Equal(
            [(SipTransportKind.Tls, "_sips._tcp.example.com"), (SipTransportKind.Tcp, "_sip._tcp.example.com"), (SipTransportKind.Udp, "_sip._udp.example.com")],
            NaptrChoice.Select(Example, sips: false, All));

    [Fact]
    public void A_sips_uri_follows_only_tls()
        => Assert.Equal([(SipTransportKind.Tls, "_sips._tcp.example.com")], NaptrChoice.Select(Example, sips: true, All));

    [Fact]
    public void A_transport_the_client_lacks_is_passed_over()
        => Assert.Equal([(SipTransportKind.Udp, "_sip._udp.example.com")], NaptrChoice.Select(Example, sips: false, new HashSet<SipTransportKind> { SipTransportKind.Udp }));

    [Fact]
    public void Preference_breaks_a_tie_of_order()
        => Assert.Equal(
            ["_sip._udp.b", "_sip._udp.a"],
            NaptrChoice.Select([new(10, 20, "S", "SIP+D2U", "_sip._udp.a"), new(10, 5, "s", "sip+d2u", "_sip._udp.b")], sips: false, All).Select(c => c.SrvName));

    [Fact]
    public void Without_naptr_records_the_srv_names_are_the_clients_own_in_its_order()
    {
        Assert.Equal(
            [(SipTransportKind.Udp, "_sip._udp.carrier.example"), (SipTransportKind.Tcp, "_sip._tcp.carrier.example"), (SipTransportKind.Tls, "_sips._tcp.carrier.example")],
            NaptrChoice.WithoutNaptr("carrier.example.", sips: false, All));
        Assert.Equal([(SipTransportKind.Tls, "_sips._tcp.carrier.example")], NaptrChoice.WithoutNaptr("carrier.example", sips: true, All));
    }
}
