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

    /// <summary>As a dial-plan route.</summary>
    public DialPlanRoute ToRoute() => new(Name, Prefix, Targets, Flow, Parameters, Media);
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
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
