using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;

namespace CallControl.Grains.Routing;

/// <summary>
/// One dial-plan route, wherever it is kept (table <c>route</c>, or <c>CallControl:Routing:Routes</c> for a node
/// without PostgreSQL): the dialled numbers it takes (a prefix; the longest match wins), its targets, and the flow
/// that dials them with that flow's parameters (JSON). No flow: <see cref="FailoverFlow"/>, targets in order.
/// <paramref name="Media"/> is the callee's media profile when media is anchored (<see cref="MediaProfileNames"/>;
/// none: plain RTP).
/// </summary>
public sealed record DialPlanRoute(string Name, string Prefix, IReadOnlyList<string> Targets, string? Flow = null, string? Parameters = null, string? Media = null)
{
    /// <summary>
    /// The trunk's credentials, when it challenges (checked apart: <see cref="TrunkCredentials.Problems"/>). Never part of
    /// the <see cref="ToDecision">decision</see>: a call keeps the route's name, and its host looks them up by it.
    /// </summary>
    public TrunkCredentials? Auth { get; init; }

    /// <summary>The route's SIP normalisation: header policy, identity rewrite, number rules (checked apart: <see cref="RoutePolicy.Problems"/>).</summary>
    public RoutePolicy Policy { get; init; } = RoutePolicy.Default;

    /// <summary>The decision for a call this route takes (a route that does not validate is never asked: <see cref="Problems"/>).</summary>
    public RouteDecision ToDecision() => new([.. Targets.Select(t => new DialTarget(t))], Name)
    {
        Flow = string.IsNullOrWhiteSpace(Flow) ? FailoverFlow.Name : Flow,
        FlowParameters = Parameters,
        Media = MediaProfileNames.TryParse(Media, out var media) ? media : MediaProfile.Rtp,
        Policy = Policy,
    };

    /// <summary>
    /// What is wrong with the route, each as "field: problem" (targets, flow, parameters: the flow's own field, media).
    /// A route that names no flow needs targets; one that names a flow gets its parameters checked by that flow.
    /// </summary>
    public IReadOnlyList<string> Problems(ICallFlowCatalog flows)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("name: a route needs a name");
        }

        for (var i = 0; i < Targets.Count; i++)
        {
            problems.AddRange(Flows.BuiltIn.ParameterChecks.Target($"targets[{i}]", Targets[i]));
        }

        if (!MediaProfileNames.TryParse(Media, out _))
        {
            problems.Add($"media: '{Media}' is not one of {MediaProfileNames.Accepted}");
        }

        if (string.IsNullOrWhiteSpace(Flow))
        {
            if (Targets.Count == 0)
            {
                problems.Add("targets: a route without a flow needs at least one target");
            }
        }
        else
        {
            problems.AddRange(flows.Validate(Flow, Parameters).Select(p => p.StartsWith("flow:", StringComparison.Ordinal) || p.StartsWith("parameters:", StringComparison.Ordinal) ? p : "parameters." + p));
        }

        return problems;
    }

    /// <summary>The route among <paramref name="routes"/> whose prefix is the longest that starts <paramref name="number"/>.</summary>
    public static DialPlanRoute? LongestMatch(IEnumerable<DialPlanRoute> routes, string number)
    {
        DialPlanRoute? best = null;
        foreach (var route in routes)
        {
            if (number.StartsWith(route.Prefix, StringComparison.Ordinal) && (best is null || route.Prefix.Length > best.Prefix.Length))
            {
                best = route;
            }
        }

        return best;
    }
}
