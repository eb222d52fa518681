using CallControl.Grains.Cdr;
using CallControl.Grains.Flows;
using CallControl.Grains.Flows.BuiltIn;
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
        services.TryAddSingleton<DefaultTargetRouter>();
        services.TryAddSingleton<ICallRouter, ConfiguredDialPlan>();
        services.AddBuiltInCallFlows();
        services.TryAddSingleton<PrepaidCharges>(); // the prepaid flow's charges that wait for their account (a store outage)
        services.AddHostedService(sp => sp.GetRequiredService<PrepaidCharges>());

        // The wake-up reminder of a ringing call ticks every few seconds until its dial deadline passes: a tick that
        // finds the call's old silo not yet declared dead fails, and the next must come soon, not a minute later.
        // Ticks are timers on the reminder's owning silo, not storage writes, so a short period costs little.
        services.Configure<Orleans.Hosting.ReminderOptions>(o => o.MinimumReminderPeriod = Dialogs.DialogGrain.WakeUpPeriod);
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

        AddCdrOutbox(services);
        return services;
    }

    /// <summary>
    /// Puts the outbox in front of the CDR store registered last (the host's, or the JSON-lines log): the grains get
    /// the outbox, the outbox gets the store, under <see cref="CdrOutbox.StoreKey"/>.
    /// </summary>
    private static void AddCdrOutbox(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CdrOutbox)))
        {
            return; // already in front
        }

        var sinks = services.Where(d => d.ServiceType == typeof(ICdrSink) && !d.IsKeyedService).ToList();
        var store = sinks[^1];
        foreach (var sink in sinks)
        {
            services.Remove(sink);
        }

        services.Add(store.ImplementationInstance is { } instance ? ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, instance)
            : store.ImplementationFactory is { } factory ? ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, (sp, _) => factory(sp))
            : ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, store.ImplementationType!));
        services.AddSingleton(sp => new CdrOutbox(
            sp.GetRequiredKeyedService<ICdrSink>(CdrOutbox.StoreKey), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CdrOutbox>>()));
        services.AddSingleton<ICdrSink>(sp => sp.GetRequiredService<CdrOutbox>());
        services.AddHostedService(sp => sp.GetRequiredService<CdrOutbox>());
    }
}
