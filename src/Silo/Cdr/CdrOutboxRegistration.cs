using CallControl.Grains.Cdr;
using CallControl.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Silo.Cdr;

/// <summary>Puts the silo's CDR outbox in front of the CDR store.</summary>
public static class CdrOutboxRegistration
{
    /// <summary>
    /// Puts the outbox in front of the CDR store registered last (the host's, the cdr table, or the JSON-lines log):
    /// the grains get the outbox, the outbox gets the store, under <see cref="CdrOutbox.StoreKey"/>, and the journal
    /// configured under <c>CallControl:Cdr</c> (<see cref="CdrJournalOptions"/>, validated at start). Call it after
    /// the store is registered; a second call changes nothing.
    /// </summary>
    public static IServiceCollection AddCdrOutbox(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(CdrOutbox)))
        {
            return services; // already in front
        }

        var sinks = services.Where(d => d.ServiceType == typeof(ICdrSink) && !d.IsKeyedService).ToList();
        var store = sinks.Count > 0 ? sinks[^1] : throw new InvalidOperationException("No CDR store (ICdrSink) is registered for the outbox to front.");
        foreach (var sink in sinks)
        {
            services.Remove(sink);
        }

        services.Add(store.ImplementationInstance is { } instance ? ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, instance)
            : store.ImplementationFactory is { } factory ? ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, (sp, _) => factory(sp))
            : ServiceDescriptor.KeyedSingleton(typeof(ICdrSink), CdrOutbox.StoreKey, store.ImplementationType!));
        services.AddOptions<CdrJournalOptions>().BindConfiguration(CdrJournalOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdrJournalOptions>, CdrJournalOptionsValidator>();
        services.AddMetrics();
        services.TryAddSingleton<CdrMetrics>();
        services.AddSingleton(sp => new CdrOutbox(
            sp.GetRequiredKeyedService<ICdrSink>(CdrOutbox.StoreKey), sp.GetServices<IStoreFailureClassifier>(), Journal(sp), sp.GetRequiredService<ILogger<CdrOutbox>>(),
            sp.GetRequiredService<CdrMetrics>()));
        services.AddSingleton<ICdrSink>(sp => sp.GetRequiredService<CdrOutbox>());
        services.AddHostedService(sp => sp.GetRequiredService<CdrOutbox>());
        return services;
    }

    private static CdrJournal? Journal(IServiceProvider services)
        => services.GetRequiredService<IOptions<CdrJournalOptions>>().Value is { JournalEnabled: true } options
            ? new CdrJournal(options.JournalPath, services.GetRequiredService<ILogger<CdrJournal>>(), services.GetRequiredService<CdrMetrics>())
            : null;
}
