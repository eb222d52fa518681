namespace CallControl.Grains.Persistence;

/// <summary>
/// Exponential backoff with jitter: the ceiling doubles from <paramref name="first"/> up to
/// <paramref name="max"/>, and each delay is drawn between half the ceiling and the ceiling, so the grains and
/// outboxes that all lost the store at the same moment do not all knock again at the same moment.
/// </summary>
public sealed class RetryBackoff(TimeSpan first, TimeSpan max)
{
    /// <summary>0.5 s doubling to 5 s: a 30 s outage costs a handful of attempts, and recovery is seen within 5 s.</summary>
    public static RetryBackoff Store { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));

    /// <summary>The delay before retry number <paramref name="attempt"/> (0 for the first retry).</summary>
    public TimeSpan Delay(int attempt)
    {
        var ceiling = first * Math.Pow(2, Math.Min(attempt, 30));
        if (ceiling > max)
        {
            ceiling = max;
        }

        return ceiling * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
