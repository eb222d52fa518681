using System.Globalization;
using System.Text;
using CallControl.Storage.Batching;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace CallControl.Storage.GrainState;

/// <summary>
/// Orleans' ADO.NET grain storage with its writes coalesced: reads go to the provider itself; writes and deletes run
/// the provider's own statements (table orleansquery), with its parameters, its ETag check and its serializer, but
/// through the <see cref="StatementBatcher"/>, so concurrent calls' writes share round trips and commits. Rows are
/// the same rows the provider reads and writes: switching batching off or on loses nothing.
/// </summary>
/// <remarks>
/// Why: at three writes and a delete per call, PostgreSQL's CPU per round trip is what caps a small node's calls per
/// second (../shared/design/ORLEANS.md §9: 2,700 calls/s with the provider as tuned, 7,700–9,300 batched). A grain
/// awaits its write as before and hears of success only once the batch holding it has committed, so durability
/// (docs/architecture.md, "What is written when") is unchanged.
/// </remarks>
public sealed class BatchedGrainStorage : IGrainStorage
{
    private readonly string _name;
    private readonly IGrainStorage _provider;
    private readonly StatementBatcher _batcher;
    private readonly NpgsqlDataSource _dataSource;
    private readonly AdoNetGrainStorageOptions _options;
    private readonly string _serviceId;
    private readonly IActivatorProvider _activators;
    private Task<StorageQueries>? _queries;

    /// <summary>Wraps <paramref name="provider"/> (the ADO.NET storage registered under the same options name).</summary>
    public BatchedGrainStorage(
        string name,
        IGrainStorage provider,
        StatementBatcher batcher,
        NpgsqlDataSource dataSource,
        IOptionsMonitor<AdoNetGrainStorageOptions> options,
        IOptions<ClusterOptions> cluster,
        IActivatorProvider activators)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        _name = name;
        _provider = provider;
        _batcher = batcher;
        _dataSource = dataSource;
        _options = options.Get(name);
        _serviceId = cluster.Value.ServiceId;
        _activators = activators;
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => _provider.ReadStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var queries = await QueriesAsync();
        var payload = _options.GrainStorageSerializer.Serialize(grainState.State).ToArray();
        var parameters = Parameters(stateName, grainId, grainState);
        var version = await _batcher.ExecuteAsync(new GrainStateStatement(queries.Write, parameters, payload));
        grainState.ETag = Checked("WriteState", version, stateName, grainId, grainState.ETag);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        if (!grainState.RecordExists || !_options.DeleteStateOnClear)
        {
            // Nothing known to delete (the provider reads first), or a clear that keeps the row: the provider's own way.
            await _provider.ClearStateAsync(stateName, grainId, grainState);
            return;
        }

        var queries = await QueriesAsync();
        var version = await _batcher.ExecuteAsync(new GrainStateStatement(queries.Delete, Parameters(stateName, grainId, grainState), payload: null));
        grainState.ETag = Checked("ClearState", version, stateName, grainId, grainState.ETag);
        grainState.RecordExists = false;
        grainState.State = _activators.GetActivator<T>().Create();
    }

    private Task<StorageQueries> QueriesAsync()
    {
        var queries = _queries ??= StorageQueries.LoadAsync(_dataSource, CancellationToken.None);
        if (queries.IsFaulted)
        {
            _queries = null; // the store was down at the first write: read them again next time
        }

        return queries;
    }

    private GrainStateParameters Parameters<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = AdoNetRowKey.Of(grainId);
        var hasher = _options.HashPicker.PickHasher(_serviceId, _name, stateName, grainId, grainState)
            ?? throw new InvalidOperationException($"Grain storage {_name} has no hasher for {stateName}.");
        var version = string.IsNullOrWhiteSpace(grainState.ETag) ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        return new GrainStateParameters(_serviceId, stateName, key, hasher.Hash(key.HashBytes), hasher.Hash(Encoding.UTF8.GetBytes(stateName)), version);
    }

    // As the provider: no row changed means another activation moved it on (or a first write met an existing row).
    private string Checked(string operation, int? version, string stateName, GrainId grainId, string? etag)
    {
        var stored = version?.ToString(CultureInfo.InvariantCulture);
        return stored is null || stored == etag
            ? throw new InconsistentStateException($"Version conflict ({operation}): ServiceId={_serviceId} ProviderName={_name} GrainType={stateName} GrainId={grainId} ETag={etag}.")
            : stored;
    }
}
