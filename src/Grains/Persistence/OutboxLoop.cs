namespace CallControl.Grains.Persistence;

/// <summary>
/// The retry loop of a silo's in-memory outbox (the CDR outbox, the prepaid charges): it sleeps until something is
/// handed in, then runs rounds over what waits until nothing does, backing off (<see cref="RetryBackoff.Store"/>)
/// after each round that left something behind, so a store outage costs a handful of attempts, not a spin.
/// </summary>
internal static class OutboxLoop
{
    /// <summary>Runs until <paramref name="stoppingToken"/> is cancelled; <paramref name="round"/> returns true when it left nothing behind.</summary>
    public static async Task RunAsync(SemaphoreSlim wake, Func<bool> anyWaiting, Func<CancellationToken, Task<bool>> round, CancellationToken stoppingToken)
    {
        var attempt = 0;
        try
        {
            while (true)
            {
                await wake.WaitAsync(stoppingToken);
                while (anyWaiting())
                {
                    if (await round(stoppingToken))
                    {
                        attempt = 0;
                    }
                    else
                    {
                        await Task.Delay(RetryBackoff.Store.Delay(attempt++), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the outbox reports (or flushes) what is left
        }
    }
}
