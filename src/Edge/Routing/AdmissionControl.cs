using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// Decides whether this edge takes a new call, from three signals of how far behind it or the silos are:
/// <list type="bullet">
/// <item>the wait of new INVITEs in the edge's own receive queue, CoDel-style (RFC 8289): the shortest wait of a new
/// INVITE in each interval. When even the shortest one waited longer than its target, the edge itself is behind (its
/// host is short of CPU, or the offered load is more than it can parse), and new calls are refused for the next
/// interval. The refused INVITEs keep the signal honest: refusing is cheap, so they drain the queue, and once one waits
/// less than the target the next interval admits again;</item>
/// <item>grain calls in flight from this edge: at <c>maxInFlight</c> or more, the backlog is standing (the silos
/// stopped answering, or answer too slowly for the offered rate), whatever the latency of the few that complete;</item>
/// <item>grain-call latency, CoDel-style as well: the fastest grain call completed in each interval. When even the
/// fastest one took longer than the target, no call got through without queueing, so the queue is standing rather
/// than a burst, and new calls are refused for the next interval.</item>
/// </list>
/// An interval with fewer than <c>minCompletions</c> observations (none, or a few slow ones at low load) says nothing
/// about a queue and counts as not overloaded, so neither interval signal can latch shut on its own.
/// Refusing new calls early (503 with Retry-After, before any grain sees them) keeps the time for the calls already
/// in progress, which must complete. The hot path is a few interlocked operations, no locks, no allocation;
/// a timer closes each interval and logs when refusing begins and ends.
/// </summary>
public sealed partial class AdmissionControl : IDisposable
{
    private const long NoCompletion = long.MaxValue;

    // How long nothing must be refused before "admitting again" is logged: a control loop at its limit may alternate
    // between refusing and admitting interval by interval, which is one episode, not a pair of log lines per interval.
    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxInFlight;
    private readonly long _target; // in TimeProvider timestamp units
    private readonly TimeSpan _interval;
    private readonly int _quietTicks;
    private readonly ITimer _timer;
    private readonly Lock _tick = new();
    private readonly int _minCompletions;
    private readonly long _waitTarget; // in TimeSpan ticks
    private readonly EdgeMetrics? _metrics;

    private int _inFlight;
    private long _shortestWait = NoCompletion; // the shortest receive-queue wait of a new INVITE in the current interval
    private int _waits;                        // new INVITEs seen in the current interval
    private volatile bool _queueing;           // the queue signal's verdict of the last closed interval
    private long _fastest = NoCompletion; // the fastest grain call completed in the current interval
    private long _refused;                // new calls refused in the current interval
    private int _completions;             // grain calls completed in the current interval
    private volatile bool _slow;          // the verdict of the last closed interval

    // Touched by the timer only (under _tick): the episode that the log lines describe.
    private bool _refusing;
    private long _refusedInEpisode;
    private int _quiet;

    /// <summary>Starts the first interval now.</summary>
    /// <param name="maxInFlight">Grain calls in flight at which new calls are refused.</param>
    /// <param name="latencyTarget">The grain-call latency over which an interval's fastest call refuses the next interval.</param>
    /// <param name="queueTarget">The receive-queue wait over which an interval's shortest wait of a new INVITE refuses the next interval.</param>
    /// <param name="interval">How long one verdict holds.</param>
    /// <param name="minCompletions">Observations an interval needs for its verdict to count.</param>
    /// <param name="time">The clock of the intervals.</param>
    /// <param name="logger">Where the episodes go.</param>
    /// <param name="metrics">Where refusals are counted (<c>callcontrol.calls.refused</c>); none: not counted.</param>
    public AdmissionControl(int maxInFlight, TimeSpan latencyTarget, TimeSpan queueTarget, TimeSpan interval, int minCompletions, TimeProvider time, ILogger<AdmissionControl> logger, EdgeMetrics? metrics = null)
    {
        _metrics = metrics;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(queueTarget, TimeSpan.Zero);
        _waitTarget = queueTarget.Ticks;
        ArgumentOutOfRangeException.ThrowIfLessThan(minCompletions, 1);
        _minCompletions = minCompletions;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(latencyTarget, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _time = time;
        _logger = logger;
        _maxInFlight = maxInFlight;
        _target = (long)(latencyTarget.TotalSeconds * time.TimestampFrequency);
        _interval = interval;
        _quietTicks = Math.Max(1, (int)Math.Ceiling(QuietPeriod / interval));
        _timer = time.CreateTimer(static state => ((AdmissionControl)state!).CloseInterval(), this, interval, interval);
    }

    /// <summary>Grain calls from this edge in flight now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True while the last closed interval's fastest grain call was slower than the target.</summary>
    public bool LatencyAboveTarget => _slow;

    /// <summary>True while the last closed interval's shortest wait of a new INVITE in the receive queue was over its target.</summary>
    public bool QueueAboveTarget => _queueing;

    /// <summary>
    /// For new work (an out-of-dialog INVITE or REGISTER): true to take it; false to refuse it, which is counted
    /// (<c>callcontrol.calls.refused</c>, by method) and logged once per episode, not per request.
    /// </summary>
    /// <param name="waited">How long the request waited in the receive queue (zero over a stream transport).</param>
    /// <param name="method">INVITE or REGISTER: the label it is counted under.</param>
    public bool TryAdmit(TimeSpan waited = default, string method = "INVITE")
    {
        Interlocked.Increment(ref _waits);
        LowerTo(ref _shortestWait, waited.Ticks);
        var signal = _queueing ? "queue" : _slow ? "latency" : Volatile.Read(ref _inFlight) >= _maxInFlight ? "in_flight" : null;
        if (signal is null)
        {
            return true;
        }

        Interlocked.Increment(ref _refused);
        _metrics?.Refused(signal, method);
        return false;
    }

    /// <summary>A grain call begins (any kind: a standing backlog of in-dialog work counts as much as new calls').</summary>
    /// <returns>Its start, for <see cref="CallEnded"/>.</returns>
    public long CallStarted()
    {
        Interlocked.Increment(ref _inFlight);
        return _time.GetTimestamp();
    }

    /// <summary>The grain call that began at <paramref name="started"/> ended, answered or failed: how long the edge waited counts.</summary>
    public void CallEnded(long started)
    {
        var latency = _time.GetTimestamp() - started;
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completions);
        LowerTo(ref _fastest, latency);
    }

    /// <summary>Stops the interval timer.</summary>
    public void Dispose() => _timer.Dispose();

    // The minimum so far of the current interval, lowered without a lock.
    private static void LowerTo(ref long minimum, long value)
    {
        var seen = Volatile.Read(ref minimum);
        while (value < seen)
        {
            var before = Interlocked.CompareExchange(ref minimum, value, seen);
            if (before == seen)
            {
                break;
            }

            seen = before;
        }
    }

    // The timer: the verdict of the interval that ends now, for the next one; and the log lines, once per episode.
    private void CloseInterval()
    {
        var fastest = Interlocked.Exchange(ref _fastest, NoCompletion);
        var completions = Interlocked.Exchange(ref _completions, 0);
        // A handful of observations is no queue: one slow call alone (a first activation, a trunk that does not answer),
        // or one INVITE behind a garbage collection, must not refuse the healthy calls behind it.
        var slow = completions >= _minCompletions && fastest > _target;
        _slow = slow;
        var shortestWait = Interlocked.Exchange(ref _shortestWait, NoCompletion);
        var waits = Interlocked.Exchange(ref _waits, 0);
        var queueing = waits >= _minCompletions && shortestWait > _waitTarget;
        _queueing = queueing;
        var overloaded = slow || queueing;
        var refused = Interlocked.Exchange(ref _refused, 0);
        lock (_tick)
        {
            if (!_refusing)
            {
                if (overloaded || refused > 0)
                {
                    (_refusing, _refusedInEpisode, _quiet) = (true, refused, 0);
                    if (queueing)
                    {
                        Log.RefusingForQueue(_logger, _interval, TimeSpan.FromTicks(shortestWait), TimeSpan.FromTicks(_waitTarget));
                    }
                    else if (slow)
                    {
                        Log.RefusingForLatency(_logger, _interval, _time.GetElapsedTime(0, fastest), _time.GetElapsedTime(0, _target));
                    }
                    else
                    {
                        Log.RefusingForInFlight(_logger, refused, _interval, _maxInFlight, InFlight);
                    }
                }

                return;
            }

            _refusedInEpisode += refused;
            _quiet = overloaded || refused > 0 ? 0 : _quiet + 1;
            if (_quiet >= _quietTicks)
            {
                _refusing = false;
                Log.Admitting(_logger, _refusedInEpisode);
            }
        }
    }
}
