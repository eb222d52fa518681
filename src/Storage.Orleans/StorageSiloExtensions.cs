using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Grains.Persistence;
using CallControl.Grains.Registrar;
using CallControl.Grains.Routing;
using CallControl.Storage.Batching;
using CallControl.Storage.GrainState;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace CallControl.Storage;

/// <summary>Registers where a silo keeps things: PostgreSQL when <c>CallControl:Storage:ConnectionString</c> is set, else memory and a JSON-lines CDR log.</summary>
public static class StorageSiloExtensions
{
    /// <summary>
    /// With PostgreSQL: grain state through Orleans' ADO.NET provider (its writes batched unless
    /// <c>CallControl:Storage:Batching:Enabled</c> is false), reminders in PostgreSQL, the data source, the CDR table,
    /// the dial plan (<see cref="PostgresDialPlan"/>; the host puts it behind its routers), the subscribers, the consumer
    /// lag, and the outage classifier. Without: in-memory state and reminders, and the JSON-lines CDR log unless the
    /// host registered a CDR store of its own first. Storage and CDR options are validated at start either way.
    /// Returns the data source when PostgreSQL is used, so start-up can migrate it.
    /// </summary>
    public static NpgsqlDataSource? AddCallControlStorage(this ISiloBuilder orleans, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(orleans);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var dataSource = storage.Enabled ? PostgresDataSource.Create(storage.ConnectionString!) : null;
        var services = orleans.Services;
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<CdrOptions>().Bind(configuration.GetSection(CdrOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdrOptions>, CdrOptionsValidator>();
        if (dataSource is null)
        {
            orleans.AddMemoryGrainStorage(GrainStorage.Dialogs);
            orleans.UseInMemoryReminderService();
            AddJsonLinesCdrLog(services);
        }
        else
        {
            var batching = configuration.GetSection(BatchingOptions.Section).Get<BatchingOptions>() ?? new BatchingOptions();
            AddGrainState(orleans, dataSource, storage.ConnectionString!, batching.Enabled);
            AddPostgres(services, configuration, dataSource, batching.Enabled);
        }

        return dataSource;
    }

    // Grains read and write through the ADO.NET provider; with batching on (the default), its writes go through
    // BatchedGrainStorage, which registers under the name the grains use and keeps the provider under a name of its
    // own (GrainState/).
    private static void AddGrainState(ISiloBuilder orleans, NpgsqlDataSource dataSource, string connectionString, bool batched)
    {
        var provider = batched ? GrainStorageBatching.ProviderName(GrainStorage.Dialogs) : GrainStorage.Dialogs;
        orleans.AddAdoNetGrainStorage(provider, options =>
        {
            options.Invariant = "Npgsql";
            options.DataSource = dataSource;
            options.DeleteStateOnClear = true; // a forgotten call leaves no tombstone row
        });
        if (batched)
        {
            GrainStorageBatching.AddBatchedGrainStorage(orleans.Services, GrainStorage.Dialogs);
        }

        // Reminders wake a call whose silo died while a flow's ring timeout ran (a hunt goes on elsewhere).
        orleans.UseAdoNetReminderService(options => (options.Invariant, options.ConnectionString) = ("Npgsql", PostgresDataSource.ForReminders(connectionString)));
        orleans.Services.AddOptions<AdoNetGrainStorageOptions>(provider)
            .Configure<Orleans.Serialization.Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
    }

    private static void AddPostgres(IServiceCollection services, IConfiguration configuration, NpgsqlDataSource dataSource, bool batched)
    {
        services.AddSingleton(dataSource);
        services.AddOptions<BatchingOptions>().Bind(configuration.GetSection(BatchingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BatchingOptions>, BatchingOptionsValidator>();
        if (batched)
        {
            services.AddSingleton<StatementBatcher>();
        }

        services.AddSingleton<ICdrSink, PostgresCdrSink>();
        services.AddSingleton<Grains.Media.IMediaSessionIndex, PostgresMediaSessionIndex>();
        services.AddSingleton<Grains.Recovery.IStoredCalls, GrainState.PostgresStoredCalls>(); // a dead silo's calls are woken (docs/reliability.md)
        services.AddSingleton<DefaultTargetRouter>();
        services.AddSingleton<PostgresDialPlan>();
        services.AddSingleton<IRouteCredentials, PostgresRouteCredentials>(); // the credentials of the dial plan's trunks
        services.AddHostedService<CdrConsumerLag>();
        services.AddSingleton<ISubscriberStore, SubscriberTable>();
        services.AddSingleton<IBanStore, BanTable>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStoreFailureClassifier, PostgresFailureClassifier>());
    }

    // The embedded default's CDR store, unless the host brought its own first.
    private static void AddJsonLinesCdrLog(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(ICdrSink)))
        {
            return;
        }

        services.AddSingleton<JsonLinesCdrSink>();
        services.AddSingleton<ICdrSink>(sp => sp.GetRequiredService<JsonLinesCdrSink>());
        services.AddHostedService(sp => sp.GetRequiredService<JsonLinesCdrSink>());
    }
}
