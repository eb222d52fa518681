using System.Collections.Concurrent;
using System.Net;

namespace CallControl.Edge.Security;

/// <summary>
/// The untrusted sources the edge keeps a <see cref="SourceRecord"/> for, at most <c>capacity</c> of them: a source
/// that arrives when the table is full shares one record with every other such source (a spoofed flood from random
/// addresses is throttled as one, and memory stays bounded). Idle records are swept away.
/// </summary>
internal sealed class SourceTable(int capacity, int maxAuthFailures)
{
    private readonly ConcurrentDictionary<IPAddress, SourceRecord> _records = new();
    private readonly SourceRecord _overflow = new(maxAuthFailures, shared: true);

    /// <summary>Sources with a record of their own.</summary>
    public int Count => _records.Count;

    /// <summary>The record of <paramref name="address"/>: its own, or the shared one when the table is full.</summary>
    public SourceRecord For(IPAddress address)
    {
        if (_records.TryGetValue(address, out var record))
        {
            return record;
        }

        return _records.Count >= capacity ? _overflow : _records.GetOrAdd(address, _ => new SourceRecord(maxAuthFailures));
    }

    /// <summary>Forgets the sources silent since before <paramref name="idleSince"/> (TimeProvider timestamps) with no connection open.</summary>
    public int Sweep(long idleSince)
    {
        var removed = 0;
        foreach (var (address, record) in _records)
        {
            bool idle;
            lock (record)
            {
                idle = record.LastSeen < idleSince && record.Connections == 0;
            }

            if (idle && _records.TryRemove(new KeyValuePair<IPAddress, SourceRecord>(address, record)))
            {
                removed++;
            }
        }

        return removed;
    }
}
