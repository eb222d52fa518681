using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Calls.Tests;

/// <summary>
/// A route's identity rewrite and its configuration (<c>CallControl:Routing:Routes:N:Headers|Rewrite|Numbers</c>,
/// <c>DefaultTargetHeaders|Rewrite|Numbers</c>): checked at start-up naming the key.
/// </summary>
public sealed class IdentityRewriteTests
{
    private static readonly ICallFlowCatalog Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    [Theory]
    [InlineData("from", "<sip:+442079460000@carrier.example>")]
    [InlineData("sip:+441632960001@pbx.example", "<sip:+441632960001@pbx.example>")]
    [InlineData("\"Sales\" <tel:+441632960001>", "\"Sales\" <tel:+441632960001>")]
    public void The_asserted_identity_is_the_froms_or_the_one_given(string value, string expected)
        => Assert.Equal(expected, new IdentityRewrite { PAssertedIdentity = value }.AssertedIdentity(SipUri.Parse("sip:+442079460000@carrier.example:5070;transport=tcp")));

    [Fact]
    public void Problems_name_each_field()
    {
        var problems = new IdentityRewrite { FromUser = "a b", ToUser = "x@y", FromDisplay = "say \"hi\"", PAssertedIdentity = "http://x", Privacy = "id;everything" }.Problems();

        Assert.Equal(["FromUser", "ToUser", "FromDisplay", "PAssertedIdentity", "Privacy"], problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]));
    }

    [Fact]
    public void Good_values_have_no_problem()
        => Assert.Empty(new IdentityRewrite { FromUser = "+441632960001", ToUser = "1000", FromDisplay = "ACME Sales", PAssertedIdentity = "from", Privacy = "id;critical" }.Problems());

    [Fact]
    public void A_route_with_a_bad_policy_stops_start_up_naming_its_keys()
    {
        var options = new RoutingOptions
        {
            Routes =
            [
                new RouteOptions
                {
                    Name = "uk", Prefix = "0", Targets = ["sip:127.0.0.1:5090"],
                    Headers = new HeaderPolicyOptions { Allow = ["Via"] },
                    Rewrite = new RewriteOptions { Privacy = "secret" },
                    Numbers = [new NumberRuleOptions { Strip = "0", Add = "+44x" }],
                },
            ],
            DefaultTargetHeaders = new HeaderPolicyOptions { Deny = ["bad name"] },
            DefaultTargetRewrite = new RewriteOptions { FromUser = "a b" },
            DefaultTargetNumbers = [new NumberRuleOptions()],
        };

        var result = new RoutingOptionsValidator(Flows).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "CallControl:Routing:Routes:0:Headers:Allow:0",
                "CallControl:Routing:Routes:0:Rewrite:Privacy",
                "CallControl:Routing:Routes:0:Numbers:0:Add",
                "CallControl:Routing:DefaultTargetHeaders:Deny:0",
                "CallControl:Routing:DefaultTargetRewrite:FromUser",
                "CallControl:Routing:DefaultTargetNumbers:0:Strip",
            ],
            result.Failures.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_configured_policy_reaches_the_routes_decision_and_the_default_targets()
    {
        var options = new RoutingOptions
        {
            Routes = [new RouteOptions { Name = "uk", Prefix = "0", Targets = ["sip:127.0.0.1:5090"], Numbers = [new NumberRuleOptions { Strip = "0", Add = "+44" }] }],
            DefaultTargetHeaders = new HeaderPolicyOptions { Deny = ["X-Secret"] },
            DefaultTargetRewrite = new RewriteOptions { PAssertedIdentity = "from", Privacy = " " },
        };

        Assert.Equal([new NumberRule("0", "+44")], options.Routes[0].ToRoute().ToDecision().Policy.Numbers);
        var fallback = options.DefaultTargetPolicy();
        Assert.Equal(["X-Secret"], fallback.Headers.Deny);
        Assert.Equal(("from", null), (fallback.Rewrite.PAssertedIdentity, fallback.Rewrite.Privacy));
        Assert.Same(RoutePolicy.Default, new RoutingOptions().DefaultTargetPolicy());
        Assert.True(new RoutingOptionsValidator(Flows).Validate(null, options).Succeeded);
    }
}
