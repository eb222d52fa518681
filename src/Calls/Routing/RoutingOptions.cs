using CallControl.Grains.Flows;
using CallControl.Sip.Headers;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Routing;

/// <summary>Routing settings, from configuration section <c>CallControl:Routing</c>.</summary>
public sealed class RoutingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "CallControl:Routing";

    /// <summary>
    /// Where a call goes when nothing else routes it (environment: <c>CallControl__Routing__DefaultTarget</c>).
    /// The dialled user is kept unless the target names one. The transport is the URI's ;transport, UDP when none (RFC 3263).
    /// </summary>
    public string DefaultTarget { get; set; } = "sip:127.0.0.1:5090";

    /// <summary>
    /// A dial plan in configuration, for a node without PostgreSQL (with it, table <c>route</c> is the dial plan):
    /// <c>CallControl__Routing__Routes__0__Name=sales</c>, <c>...__Prefix=4</c>, <c>...__Flow=hunt</c>,
    /// <c>...__Parameters={"targets":[...]}</c>, <c>...__Targets__0=sip:...</c>, <c>...__Media=srtp</c>.
    /// </summary>
    public List<RouteOptions> Routes { get; set; } = [];

    /// <summary>
    /// Credentials for when the default target challenges (<c>CallControl__Routing__DefaultTargetAuth__Username</c>,
    /// <c>...__Password</c> or <c>...__Ha1</c>, <c>...__Realm</c>); none by default.
    /// </summary>
    public TrunkAuthOptions? DefaultTargetAuth { get; set; }

    /// <summary>The default target's header policy (<c>...__DefaultTargetHeaders__Allow__0</c>, <c>...__Deny__0</c>); none: the defaults cross.</summary>
    public HeaderPolicyOptions? DefaultTargetHeaders { get; set; }

    /// <summary>The default target's identity rewrite (<c>...__DefaultTargetRewrite__FromUser</c>, <c>PAssertedIdentity</c>, ...); none by default.</summary>
    public RewriteOptions? DefaultTargetRewrite { get; set; }

    /// <summary>The default target's number rules (<c>...__DefaultTargetNumbers__0__Strip=0</c>, <c>...__0__Add=+44</c>); none by default.</summary>
    public List<NumberRuleOptions> DefaultTargetNumbers { get; set; } = [];

    /// <summary>The default target's SIP normalisation, from the three sections above.</summary>
    public RoutePolicy DefaultTargetPolicy() => RoutePolicyConfiguration.From(DefaultTargetHeaders, DefaultTargetRewrite, DefaultTargetNumbers);
}

/// <summary>
/// A trunk's credentials in configuration (<see cref="RouteOptions.Auth"/>, <see cref="RoutingOptions.DefaultTargetAuth"/>):
/// a user name, the password or the HA1 (not both), and the realm they are for (none: any; required with an HA1).
/// </summary>
public sealed class TrunkAuthOptions
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>H(username:realm:password) in hex: 32 digits answer MD5 challenges, 64 SHA-256 ones.</summary>
    public string? Ha1 { get; set; }

    public string? Realm { get; set; }

    /// <summary>As credentials (checked by <see cref="TrunkCredentials.Problems"/>).</summary>
    public TrunkCredentials ToCredentials() => new(Username ?? "", Password, Ha1, string.IsNullOrWhiteSpace(Realm) ? null : Realm);

    /// <summary>Never the secret (the options object may be logged).</summary>
    public override string ToString() => ToCredentials().ToString();
}

/// <summary>One route of <see cref="RoutingOptions.Routes"/>.</summary>
public sealed class RouteOptions
{
    public string Name { get; set; } = "";

    public string Prefix { get; set; } = "";

    public List<string> Targets { get; set; } = [];

    public string? Flow { get; set; }

    /// <summary>The flow's parameters as JSON.</summary>
    public string? Parameters { get; set; }

    /// <summary>The callee's media profile when media is anchored: <c>rtp</c> (none: the default), <c>srtp</c>, <c>webrtc</c>.</summary>
    public string? Media { get; set; }

    /// <summary>The trunk's credentials, answered when it challenges (<c>...__Auth__Username</c>, <c>...__Auth__Password</c>, ...).</summary>
    public TrunkAuthOptions? Auth { get; set; }

    /// <summary>Which headers cross between the legs besides the defaults, and which do not (<c>...__Headers__Allow__0</c>, <c>...__Headers__Deny__0</c>).</summary>
    public HeaderPolicyOptions? Headers { get; set; }

    /// <summary>The identity rewrite toward the route's callees (<c>...__Rewrite__FromUser</c>, <c>ToUser</c>, <c>FromDisplay</c>, <c>PAssertedIdentity</c>, <c>Privacy</c>).</summary>
    public RewriteOptions? Rewrite { get; set; }

    /// <summary>The number rules toward the route's callees (<c>...__Numbers__0__Strip</c>, <c>...__Numbers__0__Add</c>).</summary>
    public List<NumberRuleOptions> Numbers { get; set; } = [];

    /// <summary>As a dial-plan route.</summary>
    public DialPlanRoute ToRoute() => new(Name, Prefix, Targets, Flow, Parameters, Media) { Auth = Auth?.ToCredentials(), Policy = RoutePolicyConfiguration.From(Headers, Rewrite, Numbers) };
}

/// <summary>Rejects a DefaultTarget that is not a routable SIP URI, and any route that does not validate, naming the key.</summary>
public sealed class RoutingOptionsValidator(ICallFlowCatalog flows) : IValidateOptions<RoutingOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        const string key = RoutingOptions.Section + ":DefaultTarget";
        if (!SipUri.TryParse(options.DefaultTarget ?? "", out var uri) || !uri.IsSip || uri.Host.Length == 0)
        {
            return ValidateOptionsResult.Fail($"{key}: '{options.DefaultTarget}' is not a SIP URI (expected, for example, sip:127.0.0.1:5090).");
        }

        if (!SipTransportKinds.TryParse(uri.Transport, out var transport) || !transport.IsImplemented())
        {
            return ValidateOptionsResult.Fail($"{key}: transport '{uri.Transport}' is not one of udp, tcp, tls.");
        }

        var failures = new List<string>();
        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i].ToRoute();
            failures.AddRange(route.Problems(flows).Select(p => $"{RoutingOptions.Section}:Routes:{i} (route '{route.Name}'): {p}"));
            failures.AddRange(AuthProblems($"{RoutingOptions.Section}:Routes:{i}:Auth", options.Routes[i].Auth));
            failures.AddRange(route.Policy.Problems().Select(p => $"{RoutingOptions.Section}:Routes:{i}:{p}"));
        }

        failures.AddRange(AuthProblems($"{RoutingOptions.Section}:DefaultTargetAuth", options.DefaultTargetAuth));
        failures.AddRange(options.DefaultTargetPolicy().Problems().Select(p => $"{RoutingOptions.Section}:DefaultTarget{p}"));

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Each problem names its key ("CallControl:Routing:Routes:0:Auth:Ha1: ..."); no value is quoted (it may be a secret).
    private static IEnumerable<string> AuthProblems(string key, TrunkAuthOptions? auth)
        => auth is null ? [] : auth.ToCredentials().Problems().Select(p => $"{key}:{p}");
}
