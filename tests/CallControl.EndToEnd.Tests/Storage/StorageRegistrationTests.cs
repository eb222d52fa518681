using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Grains.Persistence;
using CallControl.Grains.Registrar;
using CallControl.Storage;
using CallControl.Storage.Batching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Storage;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>What AddCallControlStorage registers in a silo, with PostgreSQL and without (nothing is started).</summary>
public sealed class StorageRegistrationTests
{
    [Fact]
    public async Task With_a_connection_string_the_stores_are_postgresql_and_its_outages_are_classified()
    {
        var (services, dataSource) = Register(connectionString: "Host=127.0.0.1;Port=1");
        await using var _ = dataSource;

        Assert.NotNull(dataSource);
        Assert.Same(dataSource, Single<NpgsqlDataSource>(services).ImplementationInstance);
        Assert.Equal(typeof(PostgresCdrSink), Single<ICdrSink>(services).ImplementationType);
        Assert.Equal(typeof(SubscriberTable), Single<ISubscriberStore>(services).ImplementationType);
        Assert.Equal(typeof(PostgresFailureClassifier), Single<IStoreFailureClassifier>(services).ImplementationType);
        Assert.Single(services, d => d.ServiceType == typeof(PostgresDialPlan));
        Assert.Equal(typeof(PostgresRouteCredentials), Single<Grains.Routing.IRouteCredentials>(services).ImplementationType); // trunk credentials from table route
        Assert.Single(services, d => d.ServiceType == typeof(StatementBatcher));
        Assert.Single(services, d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, GrainStorage.Dialogs));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(JsonLinesCdrSink));
    }

    [Fact]
    public void Without_one_state_is_in_memory_and_cdrs_go_to_the_json_lines_log()
    {
        var (services, dataSource) = Register(connectionString: null);

        Assert.Null(dataSource);
        Assert.Single(services, d => d.ServiceType == typeof(JsonLinesCdrSink));
        Assert.Single(services, d => d.ServiceType == typeof(ICdrSink));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(NpgsqlDataSource) || d.ServiceType == typeof(IStoreFailureClassifier));
        Assert.Single(services, d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, GrainStorage.Dialogs));
    }

    [Fact]
    public void A_cdr_store_the_host_registered_first_replaces_the_json_lines_log()
    {
        var (services, _) = Register(connectionString: null, host => host.AddSingleton<ICdrSink>(new NoCdrs()));

        Assert.IsType<NoCdrs>(Single<ICdrSink>(services).ImplementationInstance);
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(JsonLinesCdrSink));
    }

    private static (IServiceCollection Services, NpgsqlDataSource? DataSource) Register(string? connectionString, Action<IServiceCollection>? host = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[StorageOptions.Section + ":ConnectionString"] = connectionString;
        host?.Invoke(builder.Services);
        NpgsqlDataSource? dataSource = null;
        builder.UseOrleans(silo => dataSource = silo.AddCallControlStorage(builder.Configuration));
        return (builder.Services, dataSource);
    }

    private static ServiceDescriptor Single<T>(IServiceCollection services) => Assert.Single(services, d => d.ServiceType == typeof(T) && !d.IsKeyedService);

    private sealed class NoCdrs : ICdrSink
    {
        public Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
