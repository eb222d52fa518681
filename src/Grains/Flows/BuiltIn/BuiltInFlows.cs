using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>The flows CallControl ships, registered by name: what a route's <c>flow</c> may say without custom code.</summary>
public static class BuiltInFlows
{
    /// <summary>Registers every shipped flow: the standalone ones (src/Calls) and prepaid, which keeps its balance in a grain.</summary>
    public static IServiceCollection AddBuiltInCallFlows(this IServiceCollection services)
    {
        services.AddStandaloneCallFlows();
        services.AddCallFlow<PrepaidFlow>(PrepaidFlow.Name);
        return services;
    }
}
