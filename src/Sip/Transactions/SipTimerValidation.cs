using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Sip.Transactions;

/// <summary>Start-up validation of <see cref="SipTimerOptions"/> for every host that binds them (an edge, a silo's grains, or both).</summary>
public static class SipTimerValidation
{
    /// <summary>
    /// Validates the timers before the host starts (<see cref="SipTimerOptionsValidator"/>). Safe to call from each
    /// part of a host that binds the section: the validator is registered once, so each problem is reported once.
    /// </summary>
    public static IServiceCollection AddSipTimerValidation(this IServiceCollection services)
    {
        services.AddOptions<SipTimerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SipTimerOptions>, SipTimerOptionsValidator>());
        return services;
    }
}
