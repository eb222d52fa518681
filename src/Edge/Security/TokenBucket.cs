namespace CallControl.Edge.Security;

/// <summary>
/// A token bucket on the monotonic clock (TimeProvider timestamps: Stopwatch ticks in production): <c>perSecond</c> tokens a second, at most <c>burst</c>
/// saved, one taken per request. A value type kept inside its owner and used under the owner's lock.
/// </summary>
internal struct TokenBucket
{
    private double _tokens;
    private long _updated;

    /// <summary>Takes a token if there is one (a limit of 0 a second never runs out).</summary>
    public bool TryTake(RateLimit limit, long now, long ticksPerSecond)
    {
        if (limit.PerSecond <= 0)
        {
            return true;
        }

        if (_updated == 0)
        {
            _tokens = limit.Burst; // a new source starts with a full bucket
        }
        else
        {
            _tokens = Math.Min(limit.Burst, _tokens + ((now - _updated) * limit.PerSecond / ticksPerSecond));
        }

        _updated = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
