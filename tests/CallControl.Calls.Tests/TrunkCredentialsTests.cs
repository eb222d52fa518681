using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
using CallControl.Grains.Routing;
using CallControl.Sip.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Calls.Tests;

/// <summary>
/// A route's trunk credentials as configured (<c>CallControl:Routing:Routes:N:Auth</c>, <c>DefaultTargetAuth</c>): checked
/// at start-up naming the key, never printed, found by route name.
/// </summary>
public sealed class TrunkCredentialsTests
{
    private const string Md5Ha1 = "0123456789abcdef0123456789ABCDEF";
    private static readonly ICallFlowCatalog Flows = new ServiceCollection().AddStandaloneCallFlows().BuildServiceProvider().GetRequiredService<CallFlowRegistry>();

    private static RoutingOptions WithRouteAuth(TrunkAuthOptions auth)
        => new() { Routes = [new RouteOptions { Name = "carrier", Prefix = "44", Targets = ["sip:10.0.0.1:5060"], Auth = auth }] };

    [Theory]
    [InlineData(null, "pw", null, null, "CallControl:Routing:Routes:0:Auth:Username: outbound authentication needs a user name")]
    [InlineData("acme", null, null, null, "CallControl:Routing:Routes:0:Auth:Password: give the password or the HA1")]
    [InlineData("acme", "pw", Md5Ha1, "trunk.example", "CallControl:Routing:Routes:0:Auth:Password: give the password or the HA1, not both")]
    [InlineData("acme", null, "not-hex", "trunk.example", "CallControl:Routing:Routes:0:Auth:Ha1: must be 32 (MD5) or 64 (SHA-256) hexadecimal digits")]
    [InlineData("acme", null, Md5Ha1, null, "CallControl:Routing:Routes:0:Auth:Realm: an HA1 is made for one realm, which must be given with it")]
    [InlineData("ac\u0001me", "pw", null, null, "CallControl:Routing:Routes:0:Auth:Username: holds a control character")]
    public void A_routes_bad_credentials_stop_start_up_naming_the_key_and_never_the_secret(string? username, string? password, string? ha1, string? realm, string message)
    {
        var result = new RoutingOptionsValidator(Flows).Validate(null, WithRouteAuth(new TrunkAuthOptions { Username = username, Password = password, Ha1 = ha1, Realm = realm }));

        Assert.True(result.Failed);
        Assert.Equal(message, result.FailureMessage);
    }

    [Fact]
    public void The_default_targets_credentials_are_checked_under_their_own_key()
    {
        var result = new RoutingOptionsValidator(Flows).Validate(null, new RoutingOptions { DefaultTargetAuth = new TrunkAuthOptions { Password = "pw" } });

        Assert.Equal("CallControl:Routing:DefaultTargetAuth:Username: outbound authentication needs a user name", result.FailureMessage);
    }

    [Theory]
    [InlineData("pw", null, null)]
    [InlineData(null, Md5Ha1, "trunk.example")]
    public void A_password_or_an_ha1_with_its_realm_is_valid(string? password, string? ha1, string? realm)
        => Assert.True(new RoutingOptionsValidator(Flows).Validate(null, WithRouteAuth(new TrunkAuthOptions { Username = "acme", Password = password, Ha1 = ha1, Realm = realm })).Succeeded);

    [Fact]
    public void Credentials_print_without_their_secret()
    {
        var password = new TrunkCredentials("acme", "s3cret", null, "trunk.example");
        var ha1 = new TrunkCredentials("acme", null, Md5Ha1, "trunk.example");
        var route = new DialPlanRoute("carrier", "44", ["sip:10.0.0.1"]) { Auth = ha1 };

        Assert.Equal("TrunkCredentials { Username = acme, Realm = trunk.example, Secret = password }", password.ToString());
        Assert.DoesNotContain(Md5Ha1, ha1.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Md5Ha1, route.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret", new TrunkAuthOptions { Username = "acme", Password = "s3cret" }.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Configured_credentials_are_found_by_route_name_and_the_default_targets_under_its_route()
    {
        var options = WithRouteAuth(new TrunkAuthOptions { Username = "acme", Password = "pw" });
        options.DefaultTargetAuth = new TrunkAuthOptions { Username = "fallback", Password = "pw2", Realm = " " };

        Assert.Equal(new TrunkCredentials("acme", "pw", null, null), ConfiguredRouteCredentials.Find(options, "carrier"));
        Assert.Equal(new TrunkCredentials("fallback", "pw2", null, null), ConfiguredRouteCredentials.Find(options, DefaultTargetRouter.RouteName));
        Assert.Null(ConfiguredRouteCredentials.Find(options, "registered"));
    }

    [Fact]
    public void Credentials_for_a_realm_answer_only_that_realms_challenge_and_an_ha1_only_its_hash_function()
    {
        var md5 = new DigestChallenge("trunk.example", "n") { Algorithm = "MD5", QopOptions = ["auth"] };
        var sha = md5 with { Algorithm = "SHA-256" };
        var other = md5 with { Realm = "other.example" };
        var ha1 = new TrunkCredentials("acme", null, Md5Ha1, "trunk.example");

        Assert.True(ha1.TryChoose([sha, other, md5], out var chosen));
        Assert.Same(md5, chosen);
        Assert.False(ha1.TryChoose([sha, other], out _));
        Assert.True(new TrunkCredentials("acme", "pw", null, null).TryChoose([other], out _)); // no realm: any
    }
}
