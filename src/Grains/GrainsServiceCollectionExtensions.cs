using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Grains.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CallControl.Grains;

/// <summary>Registers what the grains need in a silo: routing, the CDR store, and their validated options.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the default router (<c>CallControl:Routing</c>) and the JSON-lines CDR log (<c>CallControl:Cdr</c>).
    /// Registrations already made win, so a host can bring its own router or CDR store first.
    /// </summary>
    public static IServiceCollection AddCallControlGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, RoutingOptionsValidator>();
        services.AddOptions<Dialogs.CallOptions>().Bind(configuration.GetSection(Dialogs.CallOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Dialogs.CallOptions>, Dialogs.CallOptionsValidator>();
        services.AddOptions<CdrOptions>().Bind(configuration.GetSection(CdrOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdrOptions>, CdrOptionsValidator>();
        services.AddOptions<Sip.Transactions.SipTimerOptions>().Bind(configuration.GetSection(Sip.Transactions.SipTimerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ICallRouter, DefaultTargetRouter>();
        services.AddCallFlow<Flows.BuiltIn.FailoverFlow>(Flows.BuiltIn.FailoverFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.RingAllFlow>(Flows.BuiltIn.RingAllFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.ForwardFlow>(Flows.BuiltIn.ForwardFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.HuntGroupFlow>(Flows.BuiltIn.HuntGroupFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.RingGroupFlow>(Flows.BuiltIn.RingGroupFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.TimeOfDayFlow>(Flows.BuiltIn.TimeOfDayFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.ScreeningFlow>(Flows.BuiltIn.ScreeningFlow.Name);
        services.AddCallFlow<Flows.BuiltIn.PrepaidFlow>(Flows.BuiltIn.PrepaidFlow.Name);
        services.TryAddSingleton<Registrar.ISubscriberStore, Registrar.NoSubscribers>();
        services.TryAddSingleton<Sip.Auth.NonceService>();
        services.TryAddSingleton<Sip.Auth.DigestChallenger>();
        services.TryAddSingleton<Sip.Auth.DigestVerifier>();
        if (!services.Any(d => d.ServiceType == typeof(ICdrSink)))
        {
            services.AddSingleton<JsonLinesCdrSink>();
            services.AddSingleton<ICdrSink>(sp => sp.GetRequiredService<JsonLinesCdrSink>());
            services.AddHostedService(sp => sp.GetRequiredService<JsonLinesCdrSink>());
        }

        return services;
    }
}
