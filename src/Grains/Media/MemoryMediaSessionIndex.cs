using System.Collections.Concurrent;

namespace CallControl.Grains.Media;

/// <summary>
/// The media session index of a silo without a store of its own (the embedded default: one silo, state in memory):
/// it lives and dies with the calls it indexes.
/// </summary>
public sealed class MemoryMediaSessionIndex : IMediaSessionIndex
{
    private readonly ConcurrentDictionary<string, string> _engineOf = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task SetAsync(string callId, string engine, CancellationToken cancellationToken)
    {
        _engineOf[callId] = engine;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string callId, CancellationToken cancellationToken)
    {
        _engineOf.TryRemove(callId, out _);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string engine, string? after, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> calls = [.. _engineOf
            .Where(e => e.Value == engine && (after is null || string.CompareOrdinal(e.Key, after) > 0))
            .Select(e => e.Key)
            .Order(StringComparer.Ordinal)
            .Take(limit)];
        return Task.FromResult(calls);
    }
}
