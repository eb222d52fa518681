using CallControl.Edge.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// The edge's graceful stop (SIGTERM): when the host begins to stop, /readyz turns "draining" and the edge answers new
/// INVITEs, REGISTERs and OPTIONS probes with 503 and Retry-After (<see cref="DrainSwitch"/>), so a load balancer
/// sends new traffic elsewhere; in-dialog requests and open transactions are still served, and the stop waits until
/// no transaction waits for a final response, or <see cref="EdgeOptions.DrainTimeout"/> passes. It runs in
/// <see cref="IHostedLifecycleService.StoppingAsync"/>, before any hosted service stops, so the transports, the
/// Orleans client and the HTTP port all still work while it waits.
/// </summary>
public sealed partial class EdgeDrain(SipEdgeService edge, DrainSwitch drain, IOptions<EdgeOptions> options, TimeProvider time, ILogger<EdgeDrain> logger)
    : IHostedLifecycleService, IReadinessCheck
{
    /// <summary>The longest drain accepted; a pod's grace period has to cover it.</summary>
    public static readonly TimeSpan LongestDrain = TimeSpan.FromMinutes(10);

    /// <summary>What the host needs after a drain to stop the transports and the cluster client.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public string? NotReadyBecause() => drain.IsDraining ? "SIP edge: draining" : null;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.DrainTimeout;
        if (timeout <= TimeSpan.Zero || edge.Transactions is not { } layer)
        {
            return;
        }

        drain.Begin();
        Log.Draining(logger, layer.UnfinishedCount, timeout);
        var deadline = time.GetUtcNow() + timeout;
        try
        {
            while (layer.UnfinishedCount > 0 && time.GetUtcNow() < deadline)
            {
                await Task.Delay(PollPeriod, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout came first: stop with what is left.
        }

        Log.Drained(logger, layer.UnfinishedCount);
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "SIP edge draining: {Open} transactions wait for a final response; waiting up to {Timeout}")]
        public static partial void Draining(ILogger logger, int open, TimeSpan timeout);

        [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "SIP edge drained: {Left} transactions left unfinished")]
        public static partial void Drained(ILogger logger, int left);
    }
}
