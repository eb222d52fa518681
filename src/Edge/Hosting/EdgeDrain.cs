using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// The edge's graceful stop: when the host begins to stop, /readyz turns "draining" (so a load balancer sends new
/// traffic elsewhere) and the stop waits until the transaction layer is empty or <see cref="EdgeOptions.DrainTimeout"/>
/// passes. It runs in <see cref="IHostedLifecycleService.StoppingAsync"/>, before any hosted service stops, so the
/// transports, the Orleans client and the HTTP port all still work while it waits.
/// </summary>
public sealed partial class EdgeDrain(SipEdgeService edge, IOptions<EdgeOptions> options, TimeProvider time, ILogger<EdgeDrain> logger)
    : IHostedLifecycleService, IReadinessCheck
{
    /// <summary>The longest drain accepted; a pod's grace period has to cover it.</summary>
    public static readonly TimeSpan LongestDrain = TimeSpan.FromMinutes(10);

    /// <summary>What the host needs after a drain to stop the transports and the cluster client.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(100);
    private volatile bool _draining;

    /// <inheritdoc />
    public string? NotReadyBecause() => _draining ? "SIP edge: draining" : null;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.DrainTimeout;
        if (timeout <= TimeSpan.Zero || edge.Transactions is not { } layer)
        {
            return;
        }

        _draining = true;
        Log.Draining(logger, layer.ServerCount + layer.ClientCount, timeout);
        var deadline = time.GetUtcNow() + timeout;
        try
        {
            while (layer.ServerCount + layer.ClientCount > 0 && time.GetUtcNow() < deadline)
            {
                await Task.Delay(PollPeriod, time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout came first: stop with what is left.
        }

        Log.Drained(logger, layer.ServerCount + layer.ClientCount);
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
        [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "SIP edge draining: {Open} open transactions, for up to {Timeout}")]
        public static partial void Draining(ILogger logger, int open, TimeSpan timeout);

        [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "SIP edge drained: {Left} transactions left")]
        public static partial void Drained(ILogger logger, int left);
    }
}
