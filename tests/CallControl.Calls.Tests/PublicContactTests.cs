using CallControl.Calls;
using CallControl.Grains;
using CallControl.Grains.Dialogs;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transport;

using CallControl.Grains.Tests;

namespace CallControl.Calls.Tests;

/// <summary>
/// An edge behind a SIP load balancer: Contact names the balancer (in-dialog requests come back through it to any
/// live edge), Via the edge itself (responses must reach the edge that holds the client transaction).
/// </summary>
public sealed class PublicContactTests : IDisposable
{
    private readonly CallHost _calls = new();

    public void Dispose() => _calls.Dispose();

    private static readonly EdgeInfo Balanced = new("edge-lb", "127.0.0.1", 5170, 5170, 5171) { PublicHost = "127.0.0.9", PublicPort = 5060 };

    [Fact]
    public async Task Both_legs_get_the_balancers_contact_and_the_edges_own_via()
    {
        var call = new CallScript(_calls, $"public-contact-{Guid.NewGuid():N}@127.0.0.1", edge: Balanced);

        await call.InviteAsync();
        var invite = call.CalleeInvite!;
        Assert.Equal("127.0.0.1", invite.TopVia.Host);
        Assert.Equal(5170, invite.TopVia.Port);
        var calleeSide = Assert.Single(invite.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(("127.0.0.9", (int?)5060), (calleeSide.Host, calleeSide.Port));

        var answer = await call.CalleeRespondsAsync(200);
        var ok = CallScript.Parse(answer.Single(c => c.Kind == SipCommandKind.Respond));
        Assert.Equal(200, ok.StatusCode);
        var callerSide = Assert.Single(ok.Addresses(HeaderId.Contact)).Uri;
        Assert.Equal(("127.0.0.9", (int?)5060), (callerSide.Host, callerSide.Port));
    }

    [Theory]
    [InlineData(SipTransportKind.Udp, "<sip:127.0.0.9:5060>")]
    [InlineData(SipTransportKind.Tcp, "<sip:127.0.0.9:5060;transport=tcp>")]
    [InlineData(SipTransportKind.Tls, "<sip:127.0.0.1:5171;transport=tls>")] // the balancer carries no TLS
    public void Contact_names_the_public_address_for_udp_and_tcp_only(SipTransportKind transport, string expected)
        => Assert.Equal(expected, EdgeAddresses.Contact(Balanced, new SipPeer(transport, "192.0.2.5", 5060)));

    [Fact]
    public void Without_a_public_address_contact_and_via_name_the_edge()
    {
        var own = Balanced with { PublicHost = null, PublicPort = 0 };
        Assert.Equal("<sip:127.0.0.1:5170>", EdgeAddresses.Contact(own, CallScript.Callee));
        Assert.StartsWith("SIP/2.0/UDP 127.0.0.1:5170;", EdgeAddresses.Via(Balanced, CallScript.Callee, "z9hG4bK-x"), StringComparison.Ordinal);
    }
}
