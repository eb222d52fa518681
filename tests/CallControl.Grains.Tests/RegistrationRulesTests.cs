using CallControl.Grains.Registrar;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>
/// What a REGISTER does to the bindings (issue 18): flows behind NAT, RFC 5626 outbound, RFC 3327 Path, the 200 as the
/// phone sent its Contacts, and which refreshes need a write. Plain code: no cluster.
/// </summary>
public sealed class RegistrationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly EdgeInfo Edge = new("edge-1", "172.31.1.1", 5060, 5060);
    private static readonly SipPeer Natted = new(SipTransportKind.Udp, "172.31.1.2", 20345, 0, "edge-1");
    private static readonly SipPeer Direct = new(SipTransportKind.Udp, "192.0.2.7", 5060, 0, "edge-1");
    private static readonly RegistrarOptions Options = new();

    [Fact]
    public void A_phone_behind_nat_is_reached_through_its_flow_for_at_most_NatExpires_and_its_contact_is_listed_as_sent()
    {
        var register = Register("<sip:alice@10.250.1.2:5060;line=7>;q=0.5", via: "10.250.1.2:5060", expires: 3600);

        var outcome = RegistrationRules.Apply([], register, Natted, Edge, Now, Options);

        Assert.Equal(200, outcome.Status);
        var binding = Assert.Single(outcome.Bindings!);
        Assert.True(binding.ThroughFlow);
        Assert.Equal(Now + TimeSpan.FromSeconds(60), binding.ExpiresAt);
        Assert.Equal("<sip:alice@10.250.1.2:5060;line=7>;q=0.5;expires=60", Header(outcome, HeaderId.Contact));
        Assert.True(outcome.Store);
    }

    [Fact]
    public void A_phone_whose_contact_and_via_are_its_source_is_reached_at_its_contact_for_what_it_asked()
    {
        var outcome = RegistrationRules.Apply([], Register("<sip:alice@192.0.2.7:5060>", via: "192.0.2.7:5060", expires: 3600), Direct, Edge, Now, Options);

        var binding = Assert.Single(outcome.Bindings!);
        Assert.False(binding.ThroughFlow);
        Assert.Equal(Now + TimeSpan.FromHours(1), binding.ExpiresAt);
    }

    [Theory]
    [InlineData("<sip:alice@192.0.2.7:5060>", "192.0.2.7:5999")] // Via port not the source port (UDP)
    [InlineData("<sip:alice@192.0.2.7:5071>", "192.0.2.7:5060")] // Contact port not the source port (UDP)
    [InlineData("<sip:alice@phone.example.com:5060>", "192.0.2.7:5060")] // a name: only the source is known to reach it
    public void A_contact_or_via_that_is_not_the_source_counts_as_nat(string contact, string via)
        => Assert.True(Assert.Single(RegistrationRules.Apply([], Register(contact, via, 3600), Direct, Edge, Now, Options).Bindings!).ThroughFlow);

    [Fact]
    public void NatExpires_zero_grants_what_a_natted_phone_asks()
    {
        var outcome = RegistrationRules.Apply([], Register("<sip:alice@10.250.1.2:5060>", "10.250.1.2:5060", 600), Natted, Edge, Now, new RegistrarOptions { NatExpires = TimeSpan.Zero });

        Assert.Equal(Now + TimeSpan.FromSeconds(600), Assert.Single(outcome.Bindings!).ExpiresAt);
    }

    [Fact]
    public void A_refresh_of_an_unchanged_binding_is_not_stored_until_it_outgrows_the_stored_expiry()
    {
        var contact = "<sip:alice@192.0.2.7:5060>";
        var first = RegistrationRules.Apply([], Register(contact, "192.0.2.7:5060", 3600, cseq: 1), Direct, Edge, Now, Options);
        var stored = Assert.Single(first.Bindings!);
        Assert.Equal(stored.ExpiresAt + Options.StoredExpiryAhead, stored.StoredUntil);

        var refresh = RegistrationRules.Apply(first.Bindings!, Register(contact, "192.0.2.7:5060", 3600, cseq: 2), Direct, Edge, Now.AddMinutes(30), Options);
        Assert.False(refresh.Store);
        var refreshed = Assert.Single(refresh.Bindings!);
        Assert.Equal(Now.AddMinutes(90), refreshed.ExpiresAt); // the phone's expiry moves on in memory
        Assert.Equal(stored.StoredUntil, refreshed.StoredUntil);
        Assert.Equal(2u, refreshed.CSeq);

        // Past the stored expiry's horizon the binding is written again, with a new horizon.
        var late = RegistrationRules.Apply(refresh.Bindings!, Register(contact, "192.0.2.7:5060", 3600, cseq: 3), Direct, Edge, Now.AddMinutes(61), Options);
        Assert.True(late.Store);
        Assert.Equal(Now.AddMinutes(121) + Options.StoredExpiryAhead, Assert.Single(late.Bindings!).StoredUntil);
    }

    [Fact]
    public void A_refresh_from_a_new_source_port_is_a_changed_binding_and_stored()
    {
        var contact = "<sip:alice@10.250.1.2:5060>";
        var first = RegistrationRules.Apply([], Register(contact, "10.250.1.2:5060", 60, cseq: 1), Natted, Edge, Now, Options);

        var rebound = RegistrationRules.Apply(first.Bindings!, Register(contact, "10.250.1.2:5060", 60, cseq: 2), Natted with { Port = 20999 }, Edge, Now.AddSeconds(30), Options);

        Assert.True(rebound.Store);
        Assert.Equal(20999, Assert.Single(rebound.Bindings!).Source.Port);
    }

    [Fact]
    public void Removing_a_binding_is_stored_and_an_old_or_repeated_register_changes_nothing()
    {
        var contact = "<sip:alice@192.0.2.7:5060>";
        var first = RegistrationRules.Apply([], Register(contact, "192.0.2.7:5060", 3600, cseq: 5), Direct, Edge, Now, Options);

        var repeated = RegistrationRules.Apply(first.Bindings!, Register(contact, "192.0.2.7:5060", 0, cseq: 4), Direct, Edge, Now, Options);
        Assert.False(repeated.Store);
        Assert.Single(repeated.Bindings!);

        var removed = RegistrationRules.Apply(first.Bindings!, Register(contact, "192.0.2.7:5060", 0, cseq: 6), Direct, Edge, Now, Options);
        Assert.True(removed.Store);
        Assert.Empty(removed.Bindings!);
    }

    [Fact]
    public void Under_outbound_a_new_flow_of_the_same_instance_and_reg_id_replaces_the_old_and_the_200_requires_outbound()
    {
        const string Instance = "\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"";
        var viaEdge1 = new SipPeer(SipTransportKind.Tcp, "192.0.2.7", 40001, 11, "edge-1");
        var viaEdge2 = new SipPeer(SipTransportKind.Tcp, "192.0.2.7", 40002, 12, "edge-2");
        var first = RegistrationRules.Apply([], Register($"<sip:alice@192.0.2.7:40001;transport=tcp>;+sip.instance={Instance};reg-id=1", "192.0.2.7:40001", 600, cseq: 1, transport: "TCP", supported: "outbound, path"), viaEdge1, Edge, Now, Options);
        Assert.Equal("outbound", Header(first, HeaderId.Require));
        Assert.True(Assert.Single(first.Bindings!).ThroughFlow);

        var second = RegistrationRules.Apply(first.Bindings!, Register($"<sip:alice@192.0.2.7:40002;transport=tcp>;+sip.instance={Instance};reg-id=1", "192.0.2.7:40002", 600, cseq: 2, transport: "TCP", supported: "outbound"), viaEdge2, Edge with { EdgeId = "edge-2" }, Now, Options);

        var binding = Assert.Single(second.Bindings!);
        Assert.Equal(viaEdge2, binding.Source);
        Assert.Equal(1, binding.RegId);
        Assert.Contains("reg-id=1", Header(second, HeaderId.Contact), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_supported_outbound_reg_id_is_ignored_and_two_reg_ids_are_refused()
    {
        var plain = RegistrationRules.Apply([], Register("<sip:alice@192.0.2.7:5060>;+sip.instance=\"<urn:uuid:1>\";reg-id=1", "192.0.2.7:5060", 600), Direct, Edge, Now, Options);
        Assert.Equal(0, Assert.Single(plain.Bindings!).RegId);
        Assert.DoesNotContain(plain.Headers, h => h.Id == HeaderId.Require);

        var two = RegistrationRules.Apply([], Register("<sip:a@192.0.2.7:5060>;+sip.instance=\"<urn:uuid:1>\";reg-id=1, <sip:a@192.0.2.7:5060>;+sip.instance=\"<urn:uuid:1>\";reg-id=2", "192.0.2.7:5060", 600, supported: "outbound"), Direct, Edge, Now, Options);
        Assert.Equal(400, two.Status);
        Assert.Null(two.Bindings);
    }

    [Fact]
    public void A_path_is_kept_in_order_and_echoed_only_to_a_phone_that_supports_path()
    {
        var paths = new[] { "<sip:p1.example.net;lr>", "<sip:p2.example.net;lr>" };
        var echoed = RegistrationRules.Apply([], Register("<sip:alice@192.0.2.7:5060>", "192.0.2.7:5060", 600, supported: "path", path: paths), Direct, Edge, Now, Options);
        Assert.Equal(paths, Assert.Single(echoed.Bindings!).Path);
        Assert.Equal(paths, echoed.Headers.Where(h => h.Id == HeaderId.Path).Select(h => h.Value));

        var kept = RegistrationRules.Apply([], Register("<sip:alice@192.0.2.7:5060>", "192.0.2.7:5060", 600, path: paths), Direct, Edge, Now, Options);
        Assert.Equal(paths, Assert.Single(kept.Bindings!).Path);
        Assert.DoesNotContain(kept.Headers, h => h.Id == HeaderId.Path);
    }

    [Fact]
    public void An_unreachable_binding_registered_again_is_reachable_and_stored()
    {
        var contact = "<sip:alice@10.250.1.2:5060>";
        var first = RegistrationRules.Apply([], Register(contact, "10.250.1.2:5060", 60, cseq: 1), Natted, Edge, Now, Options);
        var failed = first.Bindings!.Select(b => b with { Unreachable = true });

        var again = RegistrationRules.Apply(failed, Register(contact, "10.250.1.2:5060", 60, cseq: 2), Natted, Edge, Now.AddSeconds(10), Options);

        Assert.True(again.Store);
        Assert.False(Assert.Single(again.Bindings!).Unreachable);
    }

    private static string Header(RegistrationOutcome outcome, HeaderId id) => Assert.Single(outcome.Headers, h => h.Id == id).Value;

    private static SipMessage Register(string contact, string via, int expires, uint cseq = 1, string transport = "UDP", string? supported = null, string[]? path = null)
    {
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:example.com")
            .Add(HeaderId.Via, $"SIP/2.0/{transport} {via};branch=z9hG4bK-{cseq};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, "<sip:alice@example.com>;tag=reg")
            .Add(HeaderId.To, "<sip:alice@example.com>")
            .Add(HeaderId.CallId, "reg-alice")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, contact)
            .Add(HeaderId.Expires, expires);
        foreach (var hop in path ?? [])
        {
            builder.Add(HeaderId.Path, hop);
        }

        if (supported is not null)
        {
            builder.Add(HeaderId.Supported, supported);
        }

        return SipParser.ParseTrusted(builder.ToArray());
    }
}
