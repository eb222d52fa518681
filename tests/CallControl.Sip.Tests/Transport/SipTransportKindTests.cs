using System.Net;
using CallControl.Sip.Headers;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Tests.Transactions;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallControl.Sip.Tests.Transport;

/// <summary>
/// The transport kinds, the WebSocket ones (RFC 7118) included: names, parsing, reliability, and what happens to a
/// message for a kind no transport of this node carries (a transport error for its transaction, not a crash).
/// </summary>
public sealed class SipTransportKindTests
{
    [Theory]
    [InlineData(SipTransportKind.Udp, "UDP", false)]
    [InlineData(SipTransportKind.Tcp, "TCP", true)]
    [InlineData(SipTransportKind.Tls, "TLS", true)]
    [InlineData(SipTransportKind.Ws, "WS", true)]   // RFC 7118 §5: a WebSocket connection is reliable
    [InlineData(SipTransportKind.Wss, "WSS", true)]
    public void Each_kind_has_its_Via_name_and_reliability(SipTransportKind kind, string via, bool reliable)
        => Assert.Equal((via, reliable), (kind.ViaName(), kind.IsReliable()));

    [Fact]
    public void Every_kind_reads_back_from_its_Via_name_lower_or_upper_case()
    {
        foreach (var kind in Enum.GetValues<SipTransportKind>())
        {
            Assert.True(SipTransportKinds.TryParse(kind.ViaName(), out var upper));
            Assert.True(SipTransportKinds.TryParse(kind.ViaName().ToLowerInvariant(), out var lower));
            Assert.Equal((kind, kind), (upper, lower));
        }
    }

    [Theory]
    [InlineData("sip:bob@example.com;transport=ws", SipTransportKind.Ws)]
    [InlineData("sip:bob@example.com;transport=WSS", SipTransportKind.Wss)]
    public void A_URIs_ws_and_wss_transport_parameters_name_the_WebSocket_kinds(string text, SipTransportKind expected)
    {
        Assert.True(SipUri.TryParse(text, out var uri));
        Assert.True(SipTransportKinds.TryParse(uri.Transport, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("sctp")]
    [InlineData("websocket")]
    public void Other_transport_names_are_not_read(string name) => Assert.False(SipTransportKinds.TryParse(name, out _));

    [Fact]
    public void Only_UDP_TCP_and_TLS_have_a_transport_in_this_library_yet()
        => Assert.Equal(
            [SipTransportKind.Udp, SipTransportKind.Tcp, SipTransportKind.Tls],
            Enum.GetValues<SipTransportKind>().Where(kind => kind.IsImplemented()));

    [Fact]
    public void A_value_that_is_no_kind_is_named_in_the_error()
    {
        var bogus = (SipTransportKind)42;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => bogus.ViaName());
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => bogus.IsReliable());
    }

    [Fact]
    public async Task A_request_to_a_WebSocket_peer_on_a_node_without_one_fails_its_transaction_with_a_transport_error()
    {
        await using var transports = new TransportSet([]);
        var time = new FakeTimeProvider();
        var user = new RecordingUser(() => TimeSpan.Zero);
        var layer = new TransactionLayer(transports, time, new SipTimerOptions(), NullLogger<TransactionLayer>.Instance);
        layer.Attach(user);
        var peer = new SipEndPoint(SipTransportKind.Wss, new IPEndPoint(IPAddress.Loopback, 443));

        Assert.Null(transports.Get(SipTransportKind.Ws));
        var transaction = layer.SendRequest(TestMessages.Parse(TestMessages.Request("BYE")), peer);

        var failure = Assert.Single(user.Failures);
        Assert.Equal((transaction, true), (failure.Transaction, failure.TransportError));
        Assert.Equal(0, layer.ClientCount); // ended, not left waiting for Timer F
    }
}
