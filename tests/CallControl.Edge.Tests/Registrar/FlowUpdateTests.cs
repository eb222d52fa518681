using CallControl.Edge.Registrar;
using CallControl.Sip.Transport;
using static CallControl.Edge.Tests.Registrar.NatMessages;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>
/// What a registrar's answer to a REGISTER means for the flow it came through: the NATed Contact kept for what the 200
/// granted it, de-registrations forgotten, and nothing for TCP, refusals, or phones not behind a NAT.
/// </summary>
public sealed class FlowUpdateTests
{
    [Fact]
    public void A_200_keeps_the_natted_contact_for_the_expiry_it_granted()
    {
        var register = Register(expires: "3600");

        var update = FlowUpdate.From(register, Source, Answer(register, 200, $"<{Contact}>;expires=600", "<sip:alice@198.51.100.9:5060>;expires=3000"), Start);

        Assert.Equal(new FlowUpdate("sip:alice@example.com", Contact, Start.AddSeconds(600)), update);
    }

    [Fact]
    public void Without_a_granted_expires_the_requested_one_counts()
    {
        var register = Register(contact: $"<{Contact}>;expires=120", expires: null);

        Assert.Equal(Start.AddSeconds(120), FlowUpdate.From(register, Source, Answer(register, 200, $"<{Contact}>"), Start)!.ExpiresAt);
        Assert.Equal(Start.AddSeconds(120), FlowUpdate.From(register, Source, Answer(register, 200), Start)!.ExpiresAt); // a 200 listing nothing
        var plain = Register(expires: null);
        Assert.Equal(Start.AddSeconds(3600), FlowUpdate.From(plain, Source, Answer(plain, 200), Start)!.ExpiresAt);
    }

    [Theory]
    [InlineData("<sip:alice@10.0.0.5:5060>", "0")]
    [InlineData("<sip:alice@10.0.0.5:5060>;expires=0", "3600")]
    [InlineData("*", "0")]
    public void A_de_registration_forgets_the_aor_on_the_flow(string contact, string expires)
    {
        var register = Register(contact: contact, expires: expires);

        var update = FlowUpdate.From(register, Source, Answer(register, 200, "<sip:alice@198.51.100.9:5060>;expires=3000"), Start);

        Assert.Equal(new FlowUpdate("sip:alice@example.com", contact == "*" ? "" : Contact, null), update);
    }

    [Fact]
    public void A_200_that_no_longer_lists_the_contact_forgets_it()
    {
        var register = Register();

        Assert.Null(FlowUpdate.From(register, Source, Answer(register, 200, "<sip:alice@198.51.100.9:5060>;expires=3000"), Start)!.ExpiresAt);
    }

    [Fact]
    public void The_longest_of_several_natted_contacts_counts()
    {
        var register = Register(contact: "<sip:alice@10.0.0.5:5060>, <sip:alice@10.0.0.5:5062>", expires: "3600");

        var update = FlowUpdate.From(register, Source, Answer(register, 200, "<sip:alice@10.0.0.5:5060>;expires=60", "<sip:alice@10.0.0.5:5062>;expires=900"), Start);

        Assert.Equal(new FlowUpdate("sip:alice@example.com", "sip:alice@10.0.0.5:5062", Start.AddSeconds(900)), update);
    }

    [Fact]
    public void Refusals_tcp_and_phones_not_behind_a_nat_change_nothing()
    {
        var register = Register();
        Assert.Null(FlowUpdate.From(register, Source, Answer(register, 401), Start));
        Assert.Null(FlowUpdate.From(register, Source, [], Start));
        var tcp = new SipEndPoint(SipTransportKind.Tcp, Source.Address, 7);
        Assert.Null(FlowUpdate.From(register, tcp, Answer(register, 200, $"<{Contact}>;expires=600"), Start));

        var direct = Register(contact: "<sip:alice@203.0.113.7:20001>", via: "203.0.113.7:20001");
        Assert.Null(FlowUpdate.From(direct, Source, Answer(direct, 200, "<sip:alice@203.0.113.7:20001>;expires=600"), Start));
    }
}
