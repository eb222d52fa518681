using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CallControl.Grains.Recovery;

/// <summary>
/// One dead silo's orphaned calls (keyed by its address): pages through the stored calls that hold no wake-up
/// reminder and wakes each (<see cref="IDialogGrain.Wake"/>), <see cref="Concurrency"/> at a time. Which of them the
/// dead silo held is known nowhere, so all are woken: a call active on a live silo answers at once, and the dead
/// silo's are activated again, re-arming their deadlines. Parked and hunting calls have their reminder and are left
/// to it. One pass per dead silo, however many silos ask.
/// </summary>
[GrainType("cc-orphaned-calls")]
[Reentrant]
public sealed partial class OrphanedCallsGrain(IStoredCalls calls, ILogger<OrphanedCallsGrain> logger) : Grain, IOrphanedCallsGrain
{
    /// <summary>Calls woken at once: thousands within seconds, without flooding the store with reads.</summary>
    internal const int Concurrency = 64;

    private const int Page = 512;
    private Task<int>? _pass;

    private string DeadSilo => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<int> WakeCallsAsync() => _pass is { IsFaulted: false } pass ? pass : _pass = PassAsync();

    private async Task<int> PassAsync()
    {
        int woken = 0, failed = 0;
        string? after = null;
        while (await calls.ListUnremindedAsync(after, Page, CancellationToken.None) is { Count: > 0 } page)
        {
            after = page[^1];
            foreach (var chunk in page.Chunk(Concurrency))
            {
                var outcomes = await Task.WhenAll(chunk.Select(WakeAsync));
                woken += outcomes.Count(ok => ok);
                failed += outcomes.Count(ok => !ok);
            }
        }

        LogPass(logger, DeadSilo, woken, failed);
        return woken;
    }

    private async Task<bool> WakeAsync(string callId)
    {
        try
        {
            await GrainFactory.GetGrain<IDialogGrain>(callId).Wake();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogCallFailed(logger, e, DeadSilo, callId); // it wakes with its next message, as before this pass
            return false;
        }
    }

    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Silo {Silo} died: {Woken} stored calls without a reminder woken ({Failed} could not be)")]
    private static partial void LogPass(ILogger logger, string silo, int woken, int failed);

    [LoggerMessage(EventId = 4151, Level = LogLevel.Warning, Message = "Silo {Silo} died: call {CallId} could not be woken")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string silo, string callId);
}
