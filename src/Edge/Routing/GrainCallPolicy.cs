using CallControl.Grains;
using Polly;
using Polly.Retry;

namespace CallControl.Edge.Routing;

/// <summary>
/// How the edge waits for a grain: each attempt gets <see cref="GrainCallSettings.Timeout"/>, and an attempt that timed
/// out or found the grain's silo gone or unreachable is retried with exponential backoff and jitter, by default for
/// about ten seconds: long enough for the cluster to declare a dead silo dead and the call to reactivate elsewhere from
/// its persisted state. Safe because grain methods are idempotent (the same message twice changes nothing twice).
/// Other failures (a bug, a bad message) are not retried.
/// </summary>
public sealed class GrainCallPolicy
{
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly bool _boundedByOrleans;

    /// <summary>Builds the policy; the clock runs the timeouts and the backoff.</summary>
    /// <param name="settings">Timeout and retries.</param>
    /// <param name="time">The clock.</param>
    /// <param name="boundedByOrleans">Orleans' own response timeout is the attempt's (a standalone edge): no timer of ours per call.</param>
    public GrainCallPolicy(GrainCallSettings settings, TimeProvider time, bool boundedByOrleans = false)
    {
        _boundedByOrleans = boundedByOrleans;
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.Timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Retries);
        _timeout = settings.Timeout;
        _time = time;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (settings.Retries > 0) // Polly's retry takes at least one attempt; none is a pipeline without it
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TimeoutException>() // ours (an attempt past Timeout) and Orleans' (its ResponseTimeout)
                    .Handle<OrleansMessageRejectionException>()
                    .Handle<SiloUnavailableException>(),
                MaxRetryAttempts = settings.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryDelay,
                MaxDelay = settings.RetryMaxDelay,
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Makes <paramref name="call"/> on <paramref name="grains"/>, retried as above; throws the last failure.</summary>
    internal async Task<SipCommand[]> ExecuteAsync(GrainCall call, IGrainFactory grains, CancellationToken cancellationToken)
        => await _pipeline.ExecuteAsync(
            static async (state, token) =>
            {
                // A grain method takes no token, so an attempt is abandoned rather than cancelled: the grain may still
                // finish it, which the retry's idempotence makes harmless (as with Orleans' own response timeout).
                var (self, call, grains) = state;
                return self._boundedByOrleans
                    ? await call.Invoke(grains).WaitAsync(token).ConfigureAwait(false)
                    : await call.Invoke(grains).WaitAsync(self._timeout, self._time, token).ConfigureAwait(false);
            },
            (this, call, grains),
            cancellationToken).ConfigureAwait(false);
}

/// <summary>The grain-call settings of <see cref="GrainCallPolicy"/> (from <c>CallControl:Edge:GrainCall*</c>).</summary>
/// <param name="Timeout">How long one attempt waits for the grain's answer.</param>
/// <param name="Retries">Attempts after the first; 0: none.</param>
/// <param name="RetryDelay">The first backoff, doubled at each retry (with jitter).</param>
/// <param name="RetryMaxDelay">The longest backoff.</param>
public sealed record GrainCallSettings(TimeSpan Timeout, int Retries, TimeSpan RetryDelay, TimeSpan RetryMaxDelay);
