namespace CallControl.Edge.Security;

/// <summary>
/// What the edge remembers of one untrusted source: a token bucket per <see cref="RequestKind"/>, the flood windows it
/// was over a limit in, its recent failed digest attempts and its open connections. Used under its own lock.
/// </summary>
internal sealed class SourceRecord(int maxAuthFailures, bool shared = false)
{
    private readonly TokenBucket[] _buckets = new TokenBucket[RateLimit.Kinds.Count];
    private readonly long[] _failures = new long[maxAuthFailures + 1];
    private int _failureNext;
    private long _lastDropWindow = -1;
    private int _strikes;

    /// <summary>True for the one record that sources beyond the table's capacity share: it is throttled, never banned.</summary>
    public bool Shared { get; } = shared;

    /// <summary>When it last sent anything (the guard's TimeProvider timestamp: Stopwatch ticks in production): a record idle long enough is forgotten.</summary>
    public long LastSeen { get; private set; }

    /// <summary>Inbound stream connections open from it.</summary>
    public int Connections { get; set; }

    /// <summary>Takes a token for a message of <paramref name="kind"/>; false when the source is over that limit.</summary>
    public bool TryTake(RequestKind kind, RateLimit limit, long now, long ticksPerSecond)
    {
        LastSeen = now;
        return _buckets[(int)kind].TryTake(limit, now, ticksPerSecond);
    }

    /// <summary>
    /// Notes a dropped message in flood window <paramref name="window"/>; true when it is the window's first, and then
    /// <paramref name="strikes"/> says how many consecutive windows, this one included, have had drops (1 when a flood
    /// starts), as Kamailio's pike counts.
    /// </summary>
    public bool NoteDrop(long window, out int strikes)
    {
        if (window == _lastDropWindow)
        {
            strikes = _strikes;
            return false;
        }

        _strikes = window == _lastDropWindow + 1 ? _strikes + 1 : 1;
        _lastDropWindow = window;
        strikes = _strikes;
        return true;
    }

    /// <summary>Notes a failed digest attempt; returns how many fell within <paramref name="window"/> ticks of it.</summary>
    public int NoteAuthFailure(long now, long window)
    {
        LastSeen = now;
        _failures[_failureNext] = now;
        _failureNext = (_failureNext + 1) % _failures.Length;
        var recent = 0;
        foreach (var at in _failures)
        {
            recent += at != 0 && now - at <= window ? 1 : 0;
        }

        return recent;
    }
}
