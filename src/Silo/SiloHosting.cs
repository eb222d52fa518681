using System.Net;
using CallControl.Edge.Hosting;
using CallControl.Grains;
using CallControl.Silo.Cdr;
using CallControl.Sip.Transactions;
using CallControl.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;

namespace CallControl.Silo;

/// <summary>
/// Puts a silo together from configuration: clustering (Redis, or localhost for the embedded default), storage
/// (src/Storage's <c>AddCallControlStorage</c>: PostgreSQL, or memory and a JSON-lines CDR log) with the CDR outbox in
/// front of its CDR store, the grains, and, unless <c>CallControl:Edge:Enabled</c> is false, a co-hosted SIP edge.
/// </summary>
public static class SiloHosting
{
    /// <summary>Configures the host; returns the data source when PostgreSQL is used, so start-up can migrate it.</summary>
    public static NpgsqlDataSource? AddCallControlSilo(this IHostApplicationBuilder builder, SiloOptions silo)
    {
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.From(configuration);
        NpgsqlDataSource? dataSource = null;
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

            dataSource = orleans.AddCallControlStorage(configuration);
        });

        if (cluster.Redis is not null)
        {
            Membership.MembershipTableErrors.Decorate(builder.Services); // after UseOrleans registered the Redis table
        }

        if (dataSource is not null)
        {
            // Routers compose across projects: the registrar's (src/Grains) in front of the stored dial plan (src/Storage).
            builder.Services.AddSingleton<Grains.Routing.ICallRouter>(sp => new Grains.Routing.RegisteredUserRouter(
                sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<PostgresDialPlan>(), sp.GetRequiredService<Grains.Edges.LiveEdgeView>()));
        }
        else if (configuration.GetSection(Grains.Registrar.SubscriberEntry.Section).GetChildren().Any())
        {
            // The embedded default with subscribers (CallControl:Subscribers): calls to a registered user ring its
            // bindings, the rest follows the configured dial plan. Without subscribers no call pays for a registrar lookup.
            builder.Services.AddSingleton<Grains.Routing.ICallRouter>(sp => new Grains.Routing.RegisteredUserRouter(
                sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<Grains.Routing.ConfiguredDialPlan>(), sp.GetRequiredService<Grains.Edges.LiveEdgeView>()));
        }

        builder.Services.AddCallControlGrains(configuration);
        builder.Services.AddCdrOutbox();
        builder.Services.AddSipTimerValidation(); // the grains bind CallControl:Sip:Timers too, with or without an edge
        builder.Services.AddMetrics(); // membership and storage meters come from the host's IMeterFactory (a web host has it already)
        builder.Services.AddSingleton<IReadinessCheck, SiloReadiness>();
        builder.Services.AddClusterSecret(configuration, required: cluster.Redis is not null);
        if (configuration.GetValue("CallControl:Edge:Enabled", defaultValue: true))
        {
            // The embedded default trusts loopback unless told otherwise, so sipp on this machine can call it as it is.
            builder.Services.AddSipEdge(configuration, cluster.Redis is null ? Edge.Security.TrustedByDefault.Loopback : Edge.Security.TrustedByDefault.None);
        }

        return dataSource;
    }

    /// <summary>Applies the schema migrations before the silo (whose storage reads them) starts.</summary>
    public static Task MigrateAsync(NpgsqlDataSource dataSource, IServiceProvider services, CancellationToken cancellationToken)
        => new SchemaMigrator(dataSource, services.GetService<Microsoft.Extensions.Logging.ILogger<SchemaMigrator>>() ?? NullLogger<SchemaMigrator>.Instance).MigrateAsync(cancellationToken);
}
