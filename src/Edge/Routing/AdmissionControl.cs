using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// Decides whether this edge takes a new call, from two signals of how far behind the silos are:
/// <list type="bullet">
/// <item>grain calls in flight from this edge: at <c>maxInFlight</c> or more, the backlog is standing (the silos
/// stopped answering, or answer too slowly for the offered rate), whatever the latency of the few that complete;</item>
/// <item>grain-call latency, CoDel-style (RFC 8289): the fastest grain call completed in each interval. When even the
/// fastest one took longer than the target, no call got through without queueing, so the queue is standing rather
/// than a burst, and new calls are refused for the next interval. An interval with fewer than <c>minCompletions</c>
/// completions (none, or a few slow ones at low load) says nothing about a queue and counts as not overloaded, so the
/// latency signal can never latch shut on its own.</item>
/// </list>
/// Refusing new calls early (503 with Retry-After, before any grain sees them) keeps the silos' time for the calls
/// already in progress, which must complete. The hot path is a few interlocked operations, no locks, no allocation;
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

    private int _inFlight;
    private long _fastest = NoCompletion; // the fastest grain call completed in the current interval
    private long _refused;                // new calls refused in the current interval
    private int _completions;             // grain calls completed in the current interval
    private volatile bool _slow;          // the verdict of the last closed interval

    // Touched by the timer only (under _tick): the episode that the log lines describe.
    private bool _refusing;
    private long _refusedInEpisode;
    private int _quiet;

    /// <summary>Starts the first interval now.</summary>
    public AdmissionControl(int maxInFlight, TimeSpan latencyTarget, TimeSpan interval, int minCompletions, TimeProvider time, ILogger<AdmissionControl> logger)
    {
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

    /// <summary>
    /// For a new call (an out-of-dialog INVITE): true to take it; false to refuse it, which is counted
    /// (<c>callcontrol.calls.refused</c>) and logged once per episode, not per call.
    /// </summary>
    public bool TryAdmit()
    {
        var slow = _slow;
        if (!slow && Volatile.Read(ref _inFlight) < _maxInFlight)
        {
            return true;
        }

        Interlocked.Increment(ref _refused);
        EdgeMetrics.Refused(slow ? "latency" : "in_flight");
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
        var fastest = Volatile.Read(ref _fastest);
        while (latency < fastest)
        {
            var seen = Interlocked.CompareExchange(ref _fastest, latency, fastest);
            if (seen == fastest)
            {
                break;
            }

            fastest = seen;
        }
    }

    /// <summary>Stops the interval timer.</summary>
    public void Dispose() => _timer.Dispose();

    // The timer: the verdict of the interval that ends now, for the next one; and the log lines, once per episode.
    private void CloseInterval()
    {
        var fastest = Interlocked.Exchange(ref _fastest, NoCompletion);
        var completions = Interlocked.Exchange(ref _completions, 0);
        // A handful of completions is no queue: one slow call alone (a first activation, a trunk that does not answer)
        // must not refuse the healthy calls behind it.
        var slow = completions >= _minCompletions && fastest > _target;
        _slow = slow;
        var refused = Interlocked.Exchange(ref _refused, 0);
        lock (_tick)
        {
            if (!_refusing)
            {
                if (slow || refused > 0)
                {
                    (_refusing, _refusedInEpisode, _quiet) = (true, refused, 0);
                    if (slow)
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
            _quiet = slow || refused > 0 ? 0 : _quiet + 1;
            if (_quiet >= _quietTicks)
            {
                _refusing = false;
                Log.Admitting(_logger, _refusedInEpisode);
            }
        }
    }
}
