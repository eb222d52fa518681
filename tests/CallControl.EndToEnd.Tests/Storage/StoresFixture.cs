using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>PostgreSQL (and Redis) alone, from scripts/cluster with no silos or edges, migrated by the tests.</summary>
public sealed class StoresFixture : IAsyncLifetime
{
    internal LocalCluster Cluster { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public IReadOnlyList<int> FirstMigration { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Cluster = await LocalCluster.UpAsync("sip:127.0.0.1:5090", silos: 0, edges: 0);
        DataSource = PostgresDataSource.Create(Cluster.ConnectionString);
        FirstMigration = await new SchemaMigrator(DataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
