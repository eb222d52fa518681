using CallControl.Calls;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using CallControl.Grains.Dialogs;
using Orleans.Storage;

namespace CallControl.Grains.Tests;

/// <summary>
/// The switch of a pretend PostgreSQL outage for the test cluster: while it is on, the dialog grain storage (and,
/// with <see cref="RecordingCdrSink.Down"/>, the CDR store) fails as Npgsql does when the server is gone.
/// It also records what the storage holds per call, so a test can see the state reach the store.
/// </summary>
public sealed class StoreOutage
{
    private volatile bool _writesFail;
    private volatile bool _readsFail;
    private volatile bool _writesConflict;
    private volatile bool _writesLandUnanswered;

    public bool WritesFail { get => _writesFail; set => _writesFail = value; }

    public bool ReadsFail { get => _readsFail; set => _readsFail = value; }

    /// <summary>While on, writes fail as if another activation had written the row since (an ETag mismatch).</summary>
    public bool WritesConflict { get => _writesConflict; set => _writesConflict = value; }

    /// <summary>
    /// While on, writes reach the store but fail as if the answer was lost (the connection cut after the commit): the
    /// grain keeps its old ETag, so its next write finds the row moved on.
    /// </summary>
    public bool WritesLandUnanswered { get => _writesLandUnanswered; set => _writesLandUnanswered = value; }

    /// <summary>How many writes of each grain's state (any grain, by its key) the store took.</summary>
    public ConcurrentDictionary<string, int> Taken { get; } = new(StringComparer.Ordinal);

    private readonly Channel<string> _taken = Channel.CreateUnbounded<string>();

    /// <summary>Completes once the store has taken at least <paramref name="count"/> writes of this grain's state, or fails after 20 s.</summary>
    public async Task TakenAsync(string key, int count)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (TakenCount(key) < count)
        {
            await _taken.Reader.ReadAsync(bound.Token); // a wake-up per write taken, of any grain
        }
    }

    /// <summary>How many writes of this grain's state the store has taken.</summary>
    public int TakenCount(string key) => Taken.TryGetValue(key, out var count) ? count : 0;

    /// <summary>Called by the storage for each write it took.</summary>
    public void Took(string key)
    {
        Taken.AddOrUpdate(key, 1, (_, writes) => writes + 1);
        _taken.Writer.TryWrite(key);
    }

    /// <summary>The phase of each call's last stored state; a cleared call is removed.</summary>
    public ConcurrentDictionary<string, DialogPhase> Stored { get; } = new(StringComparer.Ordinal);

    /// <summary>How many state writes each call made (clears not counted).</summary>
    public ConcurrentDictionary<string, int> Writes { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls whose state was cleared.</summary>
    public ConcurrentDictionary<string, bool> Cleared { get; } = new(StringComparer.Ordinal);

    private readonly Channel<string> _refusals = Channel.CreateUnbounded<string>();

    /// <summary>Completes when a write of this call's state is refused or conflicts (one earlier counts), or fails after 20 s.</summary>
    public async Task NextRefusalAsync(string callId)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await _refusals.Reader.ReadAsync(bound.Token) != callId)
        {
        }
    }

    /// <summary>Called by the storage for each write it refuses.</summary>
    public void Refusing(string callId) => _refusals.Writer.TryWrite(callId);

    public DialogPhase? StoredPhase(string callId) => Stored.TryGetValue(callId, out var phase) ? phase : null;

    /// <summary>What Npgsql throws with the server stopped (its inner exception; Orleans wraps it in an OrleansException).</summary>
    public static Exception Refused() => new SocketException((int)SocketError.ConnectionRefused);
}

/// <summary>Memory grain storage behind the <see cref="StoreOutage"/> switch.</summary>
public sealed class SwitchableGrainStorage(IGrainStorage inner, StoreOutage outage) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => outage.ReadsFail ? Task.FromException(StoreOutage.Refused()) : inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (outage.WritesFail)
        {
            outage.Refusing(grainId.Key.ToString()!);
            throw StoreOutage.Refused();
        }

        if (outage.WritesConflict)
        {
            outage.Refusing(grainId.Key.ToString()!);
            throw new InconsistentStateException("the row changed since it was read (test)");
        }

        var etag = grainState.ETag;
        await inner.WriteStateAsync(stateName, grainId, grainState);
        outage.Took(grainId.Key.ToString()!);
        if (outage.WritesLandUnanswered)
        {
            grainState.ETag = etag; // the grain never heard of the new version
            throw StoreOutage.Refused();
        }

        if (grainState.State is DialogState state)
        {
            outage.Stored[grainId.Key.ToString()!] = state.Phase;
            outage.Writes.AddOrUpdate(grainId.Key.ToString()!, 1, (_, writes) => writes + 1);
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (outage.WritesFail)
        {
            throw StoreOutage.Refused();
        }

        await inner.ClearStateAsync(stateName, grainId, grainState);
        outage.Stored.TryRemove(grainId.Key.ToString()!, out _);
        outage.Cleared[grainId.Key.ToString()!] = true;
    }
}
