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
        services.AddCallFlow<ForwardFlow>(ForwardFlow.Name);
        services.AddCallFlow<HuntGroupFlow>(HuntGroupFlow.Name);
        services.AddCallFlow<RingGroupFlow>(RingGroupFlow.Name);
        services.AddCallFlow<TimeOfDayFlow>(TimeOfDayFlow.Name);
        services.AddCallFlow<ScreeningFlow>(ScreeningFlow.Name);
        services.AddCallFlow<PrepaidFlow>(PrepaidFlow.Name);
        return services;
    }
}
