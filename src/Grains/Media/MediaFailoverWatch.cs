using CallControl.Media;
using CallControl.Media.Ng;
using CallControl.Media.Selection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Grains.Media;

/// <summary>
/// Turns this silo's failed rtpengine probes into failover passes (<see cref="IMediaFailoverGrain"/>): each probe of a
/// dead rtpengine asks for one, and the grain joins the asks of every silo into a pass at a time. Passes repeat while
/// the rtpengine stays dead, every <see cref="MediaOptions.HealthInterval"/>, so a call that could not move yet (an
/// offer in flight) moves at the next. Idle in passthrough mode.
/// </summary>
public sealed partial class MediaFailoverWatch(RtpengineHealthMonitor monitor, IGrainFactory grains, IOptions<MediaOptions> options, ILogger<MediaFailoverWatch> logger)
    : IHostedService
{
    private readonly Lock _lock = new();
    private readonly HashSet<NgAddress> _asking = [];

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Mode == MediaMode.Anchor)
        {
            monitor.ProbeFailed += OnProbeFailed;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        monitor.ProbeFailed -= OnProbeFailed;
        return Task.CompletedTask;
    }

    private void OnProbeFailed(NgAddress engine)
    {
        lock (_lock)
        {
            if (!_asking.Add(engine))
            {
                return; // this silo's ask is still running: the next failed probe asks again
            }
        }

        _ = AskAsync(engine);
    }

    private async Task AskAsync(NgAddress engine)
    {
        try
        {
            await grains.GetGrain<IMediaFailoverGrain>(engine.ToString()).MoveCallsAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogAskFailed(logger, e, engine.ToString());
        }
        finally
        {
            lock (_lock)
            {
                _asking.Remove(engine);
            }
        }
    }

    [LoggerMessage(EventId = 4132, Level = LogLevel.Warning, Message = "rtpengine {Engine} is down, and its failover could not be asked for; the next failed probe asks again")]
    private static partial void LogAskFailed(ILogger logger, Exception exception, string engine);
}
