using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Headers;
using CallControl.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// A route's SIP normalisation in table <c>route</c> (migration 012; docs/interop.md, "Header policy and number
/// normalisation") on a real PostgreSQL: stored and listed by <see cref="RouteTable"/>, in the decision
/// <see cref="PostgresDialPlan"/> makes, and refused (naming the field) when it does not validate.
/// </summary>
public sealed class RoutePolicyTableTests(StoresFixture stores) : IClassFixture<StoresFixture>
{
    private static readonly CallFlowRegistry Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    private static readonly RoutePolicy Uk = new()
    {
        Headers = new HeaderPolicy { Allow = ["P-Charging-Vector"], Deny = ["X-Internal-*"] },
        Rewrite = new IdentityRewrite { FromUser = "01632960001", FromDisplay = "ACME", ToUser = "1000", PAssertedIdentity = "from", Privacy = "id" },
        Numbers = [new NumberRule("0", "+44"), new NumberRule("00", "+")],
    };

    [Fact]
    public async Task A_routes_policy_reads_back_as_written_and_reaches_its_calls_decision()
    {
        var table = new RouteTable(stores.DataSource);
        var (name, plain, prefix) = ($"policy-{Guid.NewGuid():N}", $"policy-{Guid.NewGuid():N}", $"94{Random.Shared.Next(10_000_000)}");
        await table.AddAsync(new DialPlanRoute(name, prefix, ["sip:10.0.0.1:5060"]) { Policy = Uk }, Flows, CancellationToken.None);
        await table.AddAsync(new DialPlanRoute(plain, prefix + "1", ["sip:10.0.0.1:5060"]), Flows, CancellationToken.None);

        var listed = await table.ListAsync(CancellationToken.None);
        Assert.Equal(Uk, listed.Single(r => r.Name == name).Policy);
        Assert.Same(RoutePolicy.Default, listed.Single(r => r.Name == plain).Policy);

        var plan = new PostgresDialPlan(stores.DataSource, new DefaultTargetRouter(Options.Create(new RoutingOptions())), Flows, NullLogger<PostgresDialPlan>.Instance);
        var decision = await plan.RouteAsync(SipUri.Parse($"sip:{prefix}0@127.0.0.1"), SipUri.Parse("sip:alice@127.0.0.1"), CancellationToken.None);
        Assert.Equal((name, Uk), (decision!.RouteName, decision.Policy));

        await table.RemoveAsync(name, CancellationToken.None);
        await table.RemoveAsync(plain, CancellationToken.None);
    }

    [Fact]
    public async Task A_policy_that_does_not_validate_is_not_stored_and_each_field_is_named()
    {
        var table = new RouteTable(stores.DataSource);
        var name = $"policy-{Guid.NewGuid():N}";
        var bad = new RoutePolicy { Headers = new HeaderPolicy { Deny = ["no spaces"] }, Numbers = [new NumberRule("0", "+4x")] };

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => table.AddAsync(new DialPlanRoute(name, "93", ["sip:10.0.0.1:5060"]) { Policy = bad }, Flows, CancellationToken.None));

        Assert.Contains("Headers:Deny:0:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Numbers:0:Add:", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await table.ListAsync(CancellationToken.None), r => r.Name == name);
    }
}
