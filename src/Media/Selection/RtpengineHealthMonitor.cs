using CallControl.Media.Ng;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Media.Selection;

/// <summary>
/// Pings every rtpengine each <see cref="MediaOptions.HealthInterval"/> (and reads its load with <c>statistics</c>
/// when it answers), reporting to the <see cref="RtpenginePool"/>: one that stops answering leaves the choice for new
/// calls and returns when it answers again. Runs only in <c>anchor</c> mode.
/// </summary>
public sealed partial class RtpengineHealthMonitor(RtpenginePool pool, INgClient client, IOptions<MediaOptions> options, TimeProvider time, ILogger<RtpengineHealthMonitor> logger)
    : BackgroundService
{
    private readonly MediaOptions _options = options.Value;

    /// <summary>
    /// Raised each time a probe of an rtpengine goes unanswered after every attempt (not only when its health changes):
    /// a dead rtpengine's calls are moved elsewhere on this (Grains' MediaFailoverWatch), and asked again each round it
    /// stays dead. A call's own command that timed out takes the rtpengine out of the choice, but only a probe moves calls.
    /// </summary>
    public event Action<NgAddress>? ProbeFailed;

    /// <summary>Probes every rtpengine once, at the same time; completes when all have answered or given up.</summary>
    public Task ProbeAllAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(pool.Snapshot().Select(e => ProbeAsync(e.Address, cancellationToken)));

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.Mode != MediaMode.Anchor)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await ProbeAllAsync(stoppingToken);
            try
            {
                await Task.Delay(_options.HealthInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ProbeAsync(NgAddress address, CancellationToken cancellationToken)
    {
        var retry = new NgRetry(_options.HealthTimeout, _options.NgAttempts);
        try
        {
            await client.PingAsync(address, retry, cancellationToken);
            var load = await client.StatisticsAsync(address, retry, cancellationToken);
            if (pool.ReportAnswered(address, load) is { } before)
            {
                LogUp(logger, address, before, load.SessionsOwn);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (NgException e)
        {
            if (pool.ReportUnanswered(address) is { } before)
            {
                LogDown(logger, address, before, e.Message);
            }

            ProbeFailed?.Invoke(address);
        }
    }

    [LoggerMessage(EventId = 4120, Level = LogLevel.Information, Message = "rtpengine {Address} is up (was {Before}; {Sessions} sessions): it takes new calls")]
    private static partial void LogUp(ILogger logger, NgAddress address, RtpengineHealth before, long sessions);

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "rtpengine {Address} is down (was {Before}): no new calls until it answers. {Problem}")]
    private static partial void LogDown(ILogger logger, NgAddress address, RtpengineHealth before, string problem);
}
