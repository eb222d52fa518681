using Polly;
using Polly.Retry;

namespace CallControl.Edge.Routing;

/// <summary>
/// Retries a grain call that failed because the silo holding the grain is gone or unreachable, with exponential
/// backoff and jitter, for about ten seconds: long enough for the cluster to declare a dead silo dead and the call
/// to reactivate elsewhere from its persisted state. Safe because grain methods are idempotent (the same message
/// twice changes nothing twice). Other failures (a bug, a bad message) are not retried.
/// </summary>
internal static class GrainCallRetry
{
    /// <summary>The pipeline every edge → grain call goes through.</summary>
    public static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder()
                .Handle<TimeoutException>()
                .Handle<OrleansMessageRejectionException>()
                .Handle<SiloUnavailableException>(),
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
        })
        .Build();
}
