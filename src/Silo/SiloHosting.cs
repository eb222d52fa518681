using System.Net;
using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Sip.Transactions;
using CallControl.Storage;
using CallControl.Storage.Batching;
using CallControl.Storage.GrainState;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace CallControl.Silo;

/// <summary>
/// Puts a silo together from configuration: clustering (Redis, or localhost for the embedded default), grain
/// state (PostgreSQL through ADO.NET, or memory), the CDR store (the cdr table, or a JSON-lines file), and,
/// unless <c>CallControl:Edge:Enabled</c> is false, a co-hosted SIP edge.
/// </summary>
public static class SiloHosting
{
    /// <summary>Configures the host; returns the data source when PostgreSQL is used, so start-up can migrate it.</summary>
    public static NpgsqlDataSource? AddCallControlSilo(this IHostApplicationBuilder builder, SiloOptions silo)
    {
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.From(configuration);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var dataSource = storage.Enabled ? PostgresDataSource.Create(storage.ConnectionString!) : null;
        var batching = configuration.GetSection(BatchingOptions.Section).Get<BatchingOptions>() ?? new BatchingOptions();

        builder.UseOrleans(orleans =>
        {
            orleans.AddActivityPropagation(); // a call's trace goes on from the edge's span into the grain
            if (cluster.Redis is null)
            {
                orleans.UseLocalhostClustering(silo.SiloPort, silo.GatewayPort);
            }
            else
            {
                orleans.UseRedisClustering(cluster.Redis)
                    .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId))
                    .Configure<ClusterMembershipOptions>(o => Membership.MembershipTuning.Apply(o, configuration));
                builder.Services.AddOptions<ClusterMembershipOptions>().ValidateOnStart();
                builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ClusterMembershipOptions>, Membership.MembershipOptionsValidator>();
                builder.Services.AddHostedService<Membership.MembershipWatcher>();
                if (cluster.Kubernetes)
                {
                    // Ports only: the package advertises POD_IP and listens on every address where those are unset,
                    // names the silo after POD_NAME, and declares dead the silos whose pods are gone.
                    orleans.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (silo.SiloPort, silo.GatewayPort))
                        .UseKubernetesHosting();
                }
                else
                {
                    orleans.ConfigureEndpoints(IPAddress.Parse(silo.AdvertisedAddress), silo.SiloPort, silo.GatewayPort, listenOnAnyHostAddress: false);
                }
            }

            if (silo.Name is { Length: > 0 } name)
            {
                orleans.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = name);
            }

            if (dataSource is null)
            {
                orleans.AddMemoryGrainStorage(GrainStorage.Dialogs);
                orleans.UseInMemoryReminderService();
            }
            else
            {
                // Grains read and write through the ADO.NET provider; with batching on (the default), its writes go
                // through BatchedGrainStorage, which registers under the name the grains use and keeps the provider
                // under a name of its own (src/Storage/GrainState).
                var provider = batching.Enabled ? GrainStorageBatching.ProviderName(GrainStorage.Dialogs) : GrainStorage.Dialogs;
                orleans.AddAdoNetGrainStorage(provider, options =>
                {
                    options.Invariant = "Npgsql";
                    options.DataSource = dataSource;
                    options.DeleteStateOnClear = true; // a forgotten call leaves no tombstone row
                });
                if (batching.Enabled)
                {
                    GrainStorageBatching.AddBatchedGrainStorage(orleans.Services, GrainStorage.Dialogs);
                }

                // Reminders wake a call whose silo died while a flow's ring timeout ran (a hunt goes on elsewhere).
                orleans.UseAdoNetReminderService(options => (options.Invariant, options.ConnectionString) = ("Npgsql", PostgresDataSource.ForReminders(storage.ConnectionString!)));
                orleans.Services.AddOptions<AdoNetGrainStorageOptions>(provider)
                    .Configure<Orleans.Serialization.Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            }
        });

        if (cluster.Redis is not null)
        {
            Membership.MembershipTableErrors.Decorate(builder.Services); // after UseOrleans registered the Redis table
        }

        builder.Services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        if (dataSource is not null)
        {
            builder.Services.AddSingleton(dataSource);
            builder.Services.AddOptions<BatchingOptions>().Bind(configuration.GetSection(BatchingOptions.Section)).ValidateOnStart();
            builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<BatchingOptions>, BatchingOptionsValidator>();
            if (batching.Enabled)
            {
                builder.Services.AddSingleton<StatementBatcher>();
            }

            builder.Services.AddSingleton<ICdrSink, PostgresCdrSink>();
            builder.Services.AddSingleton<Grains.Routing.DefaultTargetRouter>();
            builder.Services.AddSingleton<PostgresDialPlan>();
            builder.Services.AddHostedService<CdrConsumerLag>();
            builder.Services.AddSingleton<Grains.Routing.ICallRouter>(sp => new Grains.Routing.RegisteredUserRouter(
                sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<PostgresDialPlan>()));
            builder.Services.AddSingleton<Grains.Registrar.ISubscriberStore, SubscriberTable>();
        }

        builder.Services.AddCallControlGrains(configuration);
        builder.Services.AddSipTimerValidation(); // the grains bind CallControl:Sip:Timers too, with or without an edge
        builder.Services.AddMetrics(); // membership and storage meters come from the host's IMeterFactory (a web host has it already)
        builder.Services.AddSingleton<IReadinessCheck, SiloReadiness>();
        builder.Services.AddClusterSecret(configuration, required: cluster.Redis is not null);
        if (configuration.GetValue("CallControl:Edge:Enabled", defaultValue: true))
        {
            builder.Services.AddSipEdge(configuration);
        }

        return dataSource;
    }

    /// <summary>Applies the schema migrations before the silo (whose storage reads them) starts.</summary>
    public static Task MigrateAsync(NpgsqlDataSource dataSource, IServiceProvider services, CancellationToken cancellationToken)
        => new SchemaMigrator(dataSource, services.GetService<Microsoft.Extensions.Logging.ILogger<SchemaMigrator>>() ?? NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
}
