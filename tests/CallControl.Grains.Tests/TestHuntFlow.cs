using CallControl.Grains.Flows;

namespace CallControl.Grains.Tests;

/// <summary>
/// A flow for the grain tests: rings the route's targets one after another for 1 s each (the grain's sequential
/// dial), then refuses with 486; with a "redirect" parameter it redirects instead.
/// </summary>
public sealed class TestHuntFlow : ICallFlow
{
    public const string Name = "test-hunt";

    public sealed record Parameters(string? Redirect = null);

    public ValueTask<FlowAction> OnCallAsync(CallFlowContext call)
        => ValueTask.FromResult<FlowAction>(call.Parameters<Parameters>().Redirect is { } contact
            ? FlowAction.RedirectTo(contact)
            : FlowAction.Sequential(TimeSpan.FromSeconds(1), [.. call.RouteTargets]));

    public ValueTask<FlowAction> OnDialFailedAsync(CallFlowContext call, DialOutcome outcome)
        => ValueTask.FromResult<FlowAction>(FlowAction.Refuse(486, "Nobody Home"));
}
