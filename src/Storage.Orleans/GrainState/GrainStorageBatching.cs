using CallControl.Storage.Batching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CallControl.Storage.GrainState;

/// <summary>Registers a <see cref="BatchedGrainStorage"/> in front of an ADO.NET provider.</summary>
public static class GrainStorageBatching
{
    /// <summary>The name the ADO.NET provider is registered under when <paramref name="name"/> is the batched one.</summary>
    public static string ProviderName(string name) => name + ".adonet";

    /// <summary>
    /// Registers storage <paramref name="name"/> as the batched front of the ADO.NET provider registered as
    /// <see cref="ProviderName"/> (which keeps its own lifecycle: it loads its queries when the silo starts).
    /// </summary>
    public static IServiceCollection AddBatchedGrainStorage(IServiceCollection services, string name)
        => services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new BatchedGrainStorage(
            ProviderName(name),
            sp.GetRequiredKeyedService<IGrainStorage>(ProviderName(name)),
            sp.GetRequiredService<StatementBatcher>(),
            sp.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            sp.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>(),
            sp.GetRequiredService<IActivatorProvider>()));
}
