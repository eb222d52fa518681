using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>The flows CallControl ships, registered by name: what a route's <c>flow</c> may say without custom code.</summary>
public static class BuiltInFlows
{
    /// <summary>Registers every shipped flow.</summary>
    public static IServiceCollection AddBuiltInCallFlows(this IServiceCollection services)
    {
        services.AddCallFlow<FailoverFlow>(FailoverFlow.Name);
        services.AddCallFlow<RingAllFlow>(RingAllFlow.Name);
        services.AddCallFlow<RefuseFlow>(RefuseFlow.Name);
        return services;
    }
}
