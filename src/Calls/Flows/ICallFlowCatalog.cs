namespace CallControl.Grains.Flows;

/// <summary>
/// The flows a dial plan may name, and the check of a route's parameters against its flow: what a dial plan's
/// store (src/Storage) and the operator's CLI need of the flow registry, without the flows' hosting (keyed services)
/// or the grains. <see cref="CallFlowRegistry"/> is the silo's; the CLI builds one of the standalone shipped flows.
/// </summary>
public interface ICallFlowCatalog
{
    /// <summary>True when a flow is registered as <paramref name="name"/>.</summary>
    bool Contains(string name);

    /// <summary>
    /// What is wrong with a route naming <paramref name="flow"/> with <paramref name="parameters"/>: an unknown flow
    /// (a problem starting "flow:"), JSON that does not parse, or what the flow itself says. Empty when the route is good.
    /// </summary>
    IReadOnlyList<string> Validate(string flow, string? parameters);
}
