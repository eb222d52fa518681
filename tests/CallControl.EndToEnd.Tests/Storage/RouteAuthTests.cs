using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// A route's trunk credentials in table <c>route</c> (migration 011; docs/interop.md, "Outbound authentication") on a
/// real PostgreSQL: stored by <see cref="RouteTable"/>, found by route name with their secret by
/// <see cref="PostgresRouteCredentials"/>, listed without it, and refused (naming the field) when they do not validate.
/// </summary>
public sealed class RouteAuthTests(StoresFixture stores) : IClassFixture<StoresFixture>
{
    private static readonly CallFlowRegistry Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    private static string NewName() => $"auth-{Guid.NewGuid():N}";

    private static string NewPrefix() => $"95{Random.Shared.Next(10_000_000)}";

    [Fact]
    public async Task A_routes_credentials_are_found_by_its_name_and_listed_without_the_secret()
    {
        var table = new RouteTable(stores.DataSource);
        var (withPassword, withHa1, without) = (NewName(), NewName(), NewName());
        await table.AddAsync(new DialPlanRoute(withPassword, NewPrefix(), ["sip:10.0.0.1:5060"]) { Auth = new TrunkCredentials("acme", "s3cret", null, null) }, Flows, CancellationToken.None);
        await table.AddAsync(new DialPlanRoute(withHa1, NewPrefix(), ["sip:10.0.0.1:5060"]) { Auth = new TrunkCredentials("acme", null, new string('A', 64), "trunk.example") }, Flows, CancellationToken.None);
        await table.AddAsync(new DialPlanRoute(without, NewPrefix(), ["sip:10.0.0.1:5060"]), Flows, CancellationToken.None);
        var credentials = new PostgresRouteCredentials(stores.DataSource, Options.Create(new RoutingOptions { DefaultTargetAuth = new TrunkAuthOptions { Username = "fallback", Password = "pw" } }));

        Assert.Equal(new TrunkCredentials("acme", "s3cret", null, null), await credentials.FindAsync(withPassword, CancellationToken.None));
        Assert.Equal(new TrunkCredentials("acme", null, new string('a', 64), "trunk.example"), await credentials.FindAsync(withHa1, CancellationToken.None));
        Assert.Null(await credentials.FindAsync(without, CancellationToken.None));
        Assert.Null(await credentials.FindAsync(NewName(), CancellationToken.None));
        Assert.Equal("fallback", (await credentials.FindAsync(DefaultTargetRouter.RouteName, CancellationToken.None))?.Username);

        var listed = await table.ListAsync(CancellationToken.None);
        Assert.Equal(("acme", "", (string?)null), listed.Single(r => r.Name == withPassword).Auth is { } a ? (a.Username, a.Password, a.Ha1) : default);
        Assert.Null(listed.Single(r => r.Name == withHa1).Auth!.Ha1);
        Assert.Null(listed.Single(r => r.Name == without).Auth);

        // Replaced without credentials: they are gone.
        await table.AddAsync(new DialPlanRoute(withPassword, NewPrefix(), ["sip:10.0.0.1:5060"]), Flows, CancellationToken.None);
        Assert.Null(await credentials.FindAsync(withPassword, CancellationToken.None));
    }

    [Fact]
    public async Task Credentials_that_do_not_validate_are_not_stored_and_the_field_is_named_never_the_secret()
    {
        var table = new RouteTable(stores.DataSource);
        var name = NewName();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => table.AddAsync(
            new DialPlanRoute(name, NewPrefix(), ["sip:10.0.0.1:5060"]) { Auth = new TrunkCredentials("acme", "s3cret", "not-an-ha1", null) }, Flows, CancellationToken.None));

        Assert.Contains("auth Password: give the password or the HA1, not both", refused.Message, StringComparison.Ordinal);
        Assert.Contains("auth Ha1:", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-an-ha1", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await table.ListAsync(CancellationToken.None), r => r.Name == name);
    }
}
