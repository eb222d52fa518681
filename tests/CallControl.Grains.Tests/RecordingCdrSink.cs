using System.Collections.Concurrent;
using CallControl.Grains.Cdr;

namespace CallControl.Grains.Tests;

/// <summary>Keeps every CDR written, in order; while <see cref="Down"/>, refuses them as a stopped PostgreSQL would.</summary>
public sealed class RecordingCdrSink : ICdrSink
{
    private readonly ConcurrentQueue<CallDetailRecord> _records = new();
    private volatile bool _down;

    public bool Down { get => _down; set => _down = value; }

    public IReadOnlyList<CallDetailRecord> For(string callId) => [.. _records.Where(r => r.CallId == callId)];

    public Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        if (Down)
        {
            return Task.FromException(StoreOutage.Refused());
        }

        _records.Enqueue(record);
        return Task.CompletedTask;
    }
}
