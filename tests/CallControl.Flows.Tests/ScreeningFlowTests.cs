using CallControl.Flows.Testing;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Flows.Tests;

/// <summary>Screening by the calling number: deny and allow lists, prefix wildcards, anonymous callers, asserted identities.</summary>
public sealed class ScreeningFlowTests
{
    private const string Desk = "sip:alice@pbx.example";

    private static async Task<FlowAction> CallAsync(string lists, string caller = "sip:+4930111@carrier.example", string? asserted = null)
    {
        var facts = FlowHarness.Facts(caller) with { AssertedIdentity = asserted };
        return await new FlowHarness(new ScreeningFlow(), $$"""{"target":"{{Desk}}",{{lists}}}""", facts).StartAsync();
    }

    private static void Rings(FlowAction action) => Assert.Equal(Desk, Assert.Single(Assert.IsType<Dial>(action).Targets).Uri);

    private static void Refused(FlowAction action, int status = 603) => Assert.Equal(status, Assert.IsType<Reject>(action).Status);

    [Theory]
    [InlineData("+4930*")]
    [InlineData("+4930111")]
    [InlineData("+49*")]
    [InlineData("*")]
    public async Task A_denied_caller_is_refused_with_603(string pattern)
        => Refused(await CallAsync($$"""
            "deny":["+4989*","{{pattern}}"]
            """));

    [Theory]
    [InlineData("+4930112")]
    [InlineData("+4930*1")]
    [InlineData("+49301111*")]
    [InlineData("4930*")]
    public async Task A_caller_no_deny_pattern_matches_rings(string pattern)
        => Rings(await CallAsync($$"""
            "deny":["{{pattern}}"]
            """));

    [Fact]
    public async Task With_an_allow_list_only_the_callers_on_it_ring()
    {
        Rings(await CallAsync("""
            "allow":["+4989*","+4930111"]
            """));
        Refused(await CallAsync("""
            "allow":["+4989*","+4930112"]
            """));
    }

    [Fact]
    public async Task Deny_wins_over_allow()
        => Refused(await CallAsync("""
            "allow":["+49*"],"deny":["+4930111"]
            """));

    [Fact]
    public async Task The_reject_status_is_the_parameter()
        => Refused(await CallAsync("""
            "deny":["+4930*"],"rejectStatus":486
            """), 486);

    [Theory]
    [InlineData("sip:anonymous@anonymous.invalid")]
    [InlineData("sip:Anonymous@pbx.example")]
    [InlineData("sip:carrier.example")]
    public async Task Anonymous_matches_a_caller_who_hides_or_has_no_user(string caller)
    {
        Refused(await CallAsync("""
            "deny":["anonymous"]
            """, caller));
        Rings(await CallAsync("""
            "allow":["anonymous"]
            """, caller));
        Refused(await CallAsync("""
            "allow":["*"]
            """, caller)); // no number: no number pattern matches
    }

    [Fact]
    public async Task Anonymous_does_not_match_a_caller_with_a_number()
        => Rings(await CallAsync("""
            "deny":["anonymous"]
            """));

    [Theory]
    [InlineData("sip:+4930111@carrier.example")]
    [InlineData("tel:+4930111")]
    [InlineData("sip:%2B4930111;npdi@carrier.example")]
    public async Task The_asserted_identity_is_the_number_when_there_is_one(string asserted)
    {
        Refused(await CallAsync("""
            "deny":["+4930*"]
            """, "sip:+4989999@pbx.example", asserted));
        Rings(await CallAsync("""
            "deny":["+4989*"]
            """, "sip:+4989999@pbx.example", asserted));
    }

    [Fact]
    public async Task An_anonymous_caller_with_an_asserted_identity_is_anonymous_and_has_that_number()
    {
        const string Hidden = "sip:anonymous@anonymous.invalid";

        Refused(await CallAsync("""
            "deny":["anonymous"]
            """, Hidden, "sip:+4930111@carrier.example"));
        Rings(await CallAsync("""
            "allow":["+4930*"]
            """, Hidden, "sip:+4930111@carrier.example"));
    }

    [Fact]
    public async Task No_lists_let_every_caller_through_and_a_failed_dial_is_relayed()
    {
        var call = new FlowHarness(new ScreeningFlow(), $$"""{"target":"{{Desk}}"}""", FlowHarness.Facts("sip:anonymous@anonymous.invalid"));

        Rings(await call.StartAsync());
        Assert.IsType<GiveUp>(await call.DialFailsAsync(DialResult.NoAnswer));
    }

    [Theory]
    [InlineData("""{}""", "target: a SIP URI is required")]
    [InlineData("""{"target":"alice"}""", "target: 'alice' is not a SIP URI")]
    [InlineData("""{"target":"sip:alice@pbx.example","allow":[]}""", "allow: empty (leave it out to let every caller not denied through)")]
    [InlineData("""{"target":"sip:alice@pbx.example","allow":[""]}""", "allow[0]: a pattern is required")]
    [InlineData("""{"target":"sip:alice@pbx.example","deny":["+4930*","+49*30"]}""", "deny[1]: '+49*30' has a '*' before its end (only a trailing '*' is a wildcard)")]
    [InlineData("""{"target":"sip:alice@pbx.example","deny":["+49 30"]}""", "deny[0]: '+49 30' has white space")]
    [InlineData("""{"target":"sip:alice@pbx.example","rejectStatus":200}""", "rejectStatus: 200 is out of range (400 to 699)")]
    [InlineData("""{"target":"sip:alice@pbx.example","block":["+4930*"]}""", "block: not a parameter of this flow")]
    public void Validation_names_the_field(string parameters, string problem)
        => Assert.Equal(problem, Assert.Single(new FlowHarness(new ScreeningFlow(), parameters).Validate()));

    [Fact]
    public void Good_parameters_have_no_problems()
        => Assert.Empty(new FlowHarness(new ScreeningFlow(), """{"target":"sip:alice@pbx.example","allow":["+49*","anonymous"],"deny":["+4930666","*"],"rejectStatus":486}""").Validate());
}
