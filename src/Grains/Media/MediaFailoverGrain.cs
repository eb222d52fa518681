using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace CallControl.Grains.Media;

/// <summary>
/// One dead rtpengine's failover (keyed by its ng address): pages through the calls the index has on it and tells each
/// (<see cref="IDialogGrain.OnMediaLost"/>), <see cref="Concurrency"/> at a time. A pass already running is joined,
/// not repeated, so the silos that all saw the rtpengine die cost one pass. Each call decides for itself, so a call
/// told twice moves once.
/// </summary>
[GrainType("cc-media-failover")]
[Reentrant]
public sealed partial class MediaFailoverGrain(IMediaSessionIndex index, ILogger<MediaFailoverGrain> logger) : Grain, IMediaFailoverGrain
{
    /// <summary>Calls told at once: enough to move thousands of calls within the media gap's target, few enough for the silos.</summary>
    internal const int Concurrency = 64;

    private const int Page = 512;
    private Task<MediaFailoverPass>? _running;

    private string Engine => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<MediaFailoverPass> MoveCallsAsync()
    {
        if (_running is { IsCompleted: false } running)
        {
            return running;
        }

        return _running = PassAsync();
    }

    private async Task<MediaFailoverPass> PassAsync()
    {
        int moved = 0, gone = 0, left = 0;
        string? after = null;
        while (await index.ListAsync(Engine, after, Page, CancellationToken.None) is { Count: > 0 } calls)
        {
            after = calls[^1];
            foreach (var chunk in calls.Chunk(Concurrency))
            {
                var outcomes = await Task.WhenAll(chunk.Select(TellAsync));
                moved += outcomes.Count(o => o == MediaLostOutcome.Moved);
                gone += outcomes.Count(o => o == MediaLostOutcome.Gone);
                left += outcomes.Count(o => o == MediaLostOutcome.Left);
            }
        }

        if (moved + gone + left > 0)
        {
            LogPass(logger, Engine, moved, gone, left);
        }

        return new MediaFailoverPass(moved, gone, left);
    }

    private async Task<MediaLostOutcome> TellAsync(string callId)
    {
        try
        {
            var outcome = await GrainFactory.GetGrain<IDialogGrain>(callId).OnMediaLost(Engine);
            if (outcome == MediaLostOutcome.Gone)
            {
                await index.RemoveAsync(callId, CancellationToken.None);
            }

            return outcome;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogCallFailed(logger, e, Engine, callId);
            return MediaLostOutcome.Left; // the next pass asks again
        }
    }

    [LoggerMessage(EventId = 4130, Level = LogLevel.Warning, Message = "rtpengine {Engine} is down: {Moved} calls moved their media to another, {Gone} had ended, {Left} are left for the next pass")]
    private static partial void LogPass(ILogger logger, string engine, int moved, int gone, int left);

    [LoggerMessage(EventId = 4131, Level = LogLevel.Warning, Message = "rtpengine {Engine} is down: call {CallId} could not be told")]
    private static partial void LogCallFailed(ILogger logger, Exception exception, string engine, string callId);
}
