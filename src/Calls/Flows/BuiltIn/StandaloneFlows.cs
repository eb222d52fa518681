using Microsoft.Extensions.DependencyInjection;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// The shipped flows that are plain logic over the call and their parameters: every built-in flow but prepaid, whose
/// balance is a grain of its own (src/Grains). The operator's CLI checks routes against these without loading the
/// grains; a silo gets them, with prepaid, from <c>AddBuiltInCallFlows</c>.
/// </summary>
public static class StandaloneFlows
{
    /// <summary>Registers every shipped flow that needs no grain of its own.</summary>
    public static IServiceCollection AddStandaloneCallFlows(this IServiceCollection services)
    {
        services.AddCallFlow<FailoverFlow>(FailoverFlow.Name);
        services.AddCallFlow<RingAllFlow>(RingAllFlow.Name);
        services.AddCallFlow<RefuseFlow>(RefuseFlow.Name);
        services.AddCallFlow<ForwardFlow>(ForwardFlow.Name);
        services.AddCallFlow<HuntGroupFlow>(HuntGroupFlow.Name);
        services.AddCallFlow<RingGroupFlow>(RingGroupFlow.Name);
        services.AddCallFlow<TimeOfDayFlow>(TimeOfDayFlow.Name);
        services.AddCallFlow<ScreeningFlow>(ScreeningFlow.Name);
        return services;
    }
}
