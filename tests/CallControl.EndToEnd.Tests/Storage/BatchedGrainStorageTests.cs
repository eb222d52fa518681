using System.Text.Json;
using CallControl.Storage.Batching;
using CallControl.Storage.GrainState;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Activators;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CallControl.EndToEnd.Tests.Storage;

/// <summary>
/// The batched grain storage against Orleans' own ADO.NET provider on one real PostgreSQL: what one writes the other
/// reads, for every kind of grain key, with the same ETags and the same row (hashes included), and a stale ETag is a
/// conflict either way.
/// </summary>
public sealed class BatchedGrainStorageTests(StoresFixture stores) : IClassFixture<StoresFixture>, IAsyncLifetime
{
    private const string StateName = "box";
    private const string Name = "batched-test";
    private AdoNetGrainStorage _provider = null!;
    private StatementBatcher _batcher = null!;
    private BatchedGrainStorage _batched = null!;
    private readonly TestMeterFactory _meters = new();

    public static TheoryData<string> Keys => ["string", "guid", "integer"];

    public async Task InitializeAsync()
    {
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = "Npgsql",
            DataSource = stores.DataSource,
            DeleteStateOnClear = true,
            GrainStorageSerializer = new JsonBoxSerializer(),
            HashPicker = new StorageHasherPicker([new OrleansDefaultHasher()]),
        };
        var cluster = Options.Create(new ClusterOptions { ClusterId = "test", ServiceId = $"batched-{Guid.NewGuid():N}" });
        _provider = new AdoNetGrainStorage(new Activators(), NullLogger<AdoNetGrainStorage>.Instance, Options.Create(options), cluster, Name);
        var lifecycle = new StartOnlyLifecycle();
        _provider.Participate(lifecycle);
        await lifecycle.StartAsync(); // the provider loads its queries from orleansquery
        _batcher = new StatementBatcher(stores.DataSource, Options.Create(new BatchingOptions()), NullLogger<StatementBatcher>.Instance, _meters);
        _batched = new BatchedGrainStorage(Name, _provider, _batcher, stores.DataSource, new FixedOptions(options), cluster, new Activators());
    }

    public async Task DisposeAsync()
    {
        await _batcher.DisposeAsync();
        _meters.Dispose();
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task What_the_batched_storage_writes_the_provider_reads_and_the_other_way(string kind)
    {
        var grain = Grain(kind);
        var written = new GrainState<Box> { State = new Box { Value = "routed" } };
        await _batched.WriteStateAsync(StateName, grain, written);
        Assert.Equal("1", written.ETag);

        var read = await ProviderReadAsync(grain);
        Assert.True(read.RecordExists);
        Assert.Equal(("routed", "1"), (read.State!.Value, read.ETag));

        read.State = new Box { Value = "answered" };
        await _provider.WriteStateAsync(StateName, grain, read);
        written.State = new Box { Value = "stale" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => _batched.WriteStateAsync(StateName, grain, written));

        var again = await ProviderReadAsync(grain);
        again.State = new Box { Value = "ended" };
        await _batched.WriteStateAsync(StateName, grain, again);
        Assert.Equal(("ended", "3"), ((await ProviderReadAsync(grain)).State!.Value, again.ETag));

        await _batched.ClearStateAsync(StateName, grain, again);
        Assert.False(again.RecordExists);
        Assert.False((await ProviderReadAsync(grain)).RecordExists);
        Assert.Equal(0L, await RowsAsync(grain));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task The_batched_storage_writes_the_row_the_provider_would(string kind)
    {
        var grain = Grain(kind);
        var byProvider = new GrainState<Box> { State = new Box { Value = "x" } };
        await _provider.WriteStateAsync(StateName, grain, byProvider);
        var providerRow = await RowAsync();
        await _provider.ClearStateAsync(StateName, grain, byProvider);

        var byBatched = new GrainState<Box> { State = new Box { Value = "x" } };
        await _batched.WriteStateAsync(StateName, grain, byBatched);
        Assert.Equal(providerRow, await RowAsync());
    }

    [Fact]
    public async Task A_first_write_that_meets_a_row_already_there_is_a_conflict()
    {
        var grain = Grain("string");
        await _batched.WriteStateAsync(StateName, grain, new GrainState<Box> { State = new Box { Value = "one activation" } });
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _batched.WriteStateAsync(StateName, grain, new GrainState<Box> { State = new Box { Value = "another" } }));
    }

    private static GrainId Grain(string kind) => kind switch
    {
        "string" => GrainId.Create("cc-test", $"call-{Guid.NewGuid():N}@127.0.0.1"),
        "guid" => GrainId.Create(GrainType.Create("cc-test"), GrainIdKeyExtensions.CreateGuidKey(Guid.NewGuid(), "ext")),
        _ => GrainId.Create(GrainType.Create("cc-test"), GrainIdKeyExtensions.CreateIntegerKey(Random.Shared.NextInt64(), "ext")),
    };

    private async Task<GrainState<Box>> ProviderReadAsync(GrainId grain)
    {
        var state = new GrainState<Box>();
        await _provider.ReadStateAsync(StateName, grain, state);
        return state;
    }

    private Task<long> RowsAsync(GrainId grain)
        => stores.Cluster.ScalarAsync<long>($"SELECT count(*) FROM orleans_grain_state WHERE grain_type = '{StateName}' AND grain_id_ext LIKE '%{grain.Key.ToString()!.Split('+')[^1]}%'");

    // The one row of this test's service: its key columns, hashes, payload and version.
    private async Task<string> RowAsync()
    {
        var serviceId = (await stores.Cluster.ScalarAsync<string>(
            "SELECT service_id FROM orleans_grain_state WHERE service_id LIKE 'batched-%' ORDER BY modified_on DESC LIMIT 1"))!;
        return (await stores.Cluster.ScalarAsync<string>(
            $"SELECT concat_ws('|', grain_type, grain_id_n0, grain_id_n1, grain_id_ext, grain_id_hash, grain_type_hash, encode(payload, 'hex'), version) FROM orleans_grain_state WHERE service_id = '{serviceId}' AND payload IS NOT NULL"))!;
    }

    public sealed class Box
    {
        public string Value { get; set; } = "";
    }

    private sealed class JsonBoxSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(input));

        public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToArray())!;
    }

    private sealed class Activators : IActivatorProvider
    {
        public IActivator<T> GetActivator<T>() => new Activator<T>();

        private sealed class Activator<T> : IActivator<T>
        {
            public T Create() => System.Activator.CreateInstance<T>();
        }
    }

    private sealed class FixedOptions(AdoNetGrainStorageOptions options) : IOptionsMonitor<AdoNetGrainStorageOptions>
    {
        public AdoNetGrainStorageOptions CurrentValue => options;

        public AdoNetGrainStorageOptions Get(string? name) => options;

        public IDisposable? OnChange(Action<AdoNetGrainStorageOptions, string?> listener) => null;
    }

    // What the silo does for the provider at start-up: run its Init stage (it reads its queries there).
    private sealed class StartOnlyLifecycle : ISiloLifecycle
    {
        private readonly List<ILifecycleObserver> _observers = [];

        public int HighestCompletedStage => 0;

        public int LowestStoppedStage => 0;

        public IDisposable Subscribe(string observerName, int stage, ILifecycleObserver observer)
        {
            _observers.Add(observer);
            return new NoDispose();
        }

        public async Task StartAsync()
        {
            foreach (var observer in _observers)
            {
                await observer.OnStart(CancellationToken.None);
            }
        }

        private sealed class NoDispose : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }
}
