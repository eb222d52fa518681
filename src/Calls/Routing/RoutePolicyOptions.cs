namespace CallControl.Grains.Routing;

/// <summary>
/// A route's header policy in configuration (<see cref="RouteOptions.Headers"/>, <see cref="RoutingOptions.DefaultTargetHeaders"/>):
/// <c>...__Headers__Allow__0=P-Charging-Vector</c>, <c>...__Headers__Deny__0=X-Internal-*</c>.
/// </summary>
public sealed class HeaderPolicyOptions
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];
}

/// <summary>
/// A route's identity rewrite in configuration (<see cref="RouteOptions.Rewrite"/>, <see cref="RoutingOptions.DefaultTargetRewrite"/>):
/// <c>...__Rewrite__FromUser</c>, <c>FromDisplay</c>, <c>ToUser</c>, <c>PAssertedIdentity</c> (a URI, or <c>from</c>),
/// <c>Privacy</c> (RFC 3323 values, or <c>remove</c>).
/// </summary>
public sealed class RewriteOptions
{
    public string? FromUser { get; set; }

    public string? FromDisplay { get; set; }

    public string? ToUser { get; set; }

    public string? PAssertedIdentity { get; set; }

    public string? Privacy { get; set; }

    /// <summary>As a rewrite (blank values count as unset).</summary>
    public IdentityRewrite ToRewrite() => new()
    {
        FromUser = Blank(FromUser),
        FromDisplay = Blank(FromDisplay),
        ToUser = Blank(ToUser),
        PAssertedIdentity = Blank(PAssertedIdentity),
        Privacy = Blank(Privacy),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One number rule in configuration (<c>...__Numbers__0__Strip=0</c>, <c>...__Numbers__0__Add=+44</c>).</summary>
public sealed class NumberRuleOptions
{
    public string Strip { get; set; } = "";

    public string Add { get; set; } = "";
}

/// <summary>Builds a <see cref="RoutePolicy"/> from the three configuration sections a route (or the default target) has.</summary>
public static class RoutePolicyConfiguration
{
    /// <summary>The policy the sections describe (none given: <see cref="RoutePolicy.Default"/>).</summary>
    public static RoutePolicy From(HeaderPolicyOptions? headers, RewriteOptions? rewrite, List<NumberRuleOptions>? numbers)
    {
        var policy = new RoutePolicy
        {
            Headers = headers is null ? HeaderPolicy.Default : new HeaderPolicy { Allow = [.. headers.Allow.Select(h => h.Trim())], Deny = [.. headers.Deny.Select(h => h.Trim())] },
            Rewrite = rewrite?.ToRewrite() ?? new IdentityRewrite(),
            Numbers = numbers is null ? [] : [.. numbers.Select(n => new NumberRule((n.Strip ?? "").Trim(), (n.Add ?? "").Trim()))],
        };
        return policy.IsDefault ? RoutePolicy.Default : policy;
    }
}
