namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>Polling for what no event announces across processes (a log line, a database row, rtpengine's counts): bounded in count and time.</summary>
internal static class Polling
{
    /// <summary>Polls <paramref name="probe"/> every 200 ms until <paramref name="done"/>, for at most 30 s; the timeout's message ends with <paramref name="context"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, Func<string> context)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"not within 30 s: {what}\n{context()}");
    }
}
