using CallControl.Grains;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallControl.Edge.Hosting;

/// <summary>
/// Announces this edge (its <see cref="EdgeInfo"/>, with the observer grains reach it through) to the cluster's
/// <see cref="IEdgeDirectory"/> at start and every <see cref="EdgeOptions.AnnounceInterval"/>, and withdraws it at a
/// graceful stop: a call whose own edge died then has its timer messages sent through this one. Registered after
/// <see cref="SipEdgeService"/>, so it starts once the edge listens and stops before the edge lets its observer go;
/// its stop comes after the drain (<see cref="EdgeDrain"/>), during which the edge still sends what it is given.
/// </summary>
public sealed partial class EdgeAnnouncer : BackgroundService
{
    /// <summary>How long a withdrawal may hold up the stop; the directory forgets a silent edge anyway.</summary>
    internal static readonly TimeSpan WithdrawTimeout = TimeSpan.FromSeconds(2);

    private readonly Func<IEdgeDirectory> _directory;
    private readonly Func<EdgeInfo> _info;
    private readonly TimeSpan _period;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Created by the host.</summary>
    public EdgeAnnouncer(IGrainFactory grains, SipEdgeService edge, IOptions<EdgeOptions> options, TimeProvider time, ILogger<EdgeAnnouncer> logger)
        : this(() => grains.GetGrain<IEdgeDirectory>(IEdgeDirectory.Key), () => edge.Info, options.Value.AnnounceInterval, time, logger)
    {
    }

    /// <summary>
    /// An announcer of whatever <paramref name="info"/> says, to the directory <paramref name="directory"/> gives (tests).
    /// A client can make a grain reference only once it has the cluster's manifest, so it is made at each call.
    /// </summary>
    internal EdgeAnnouncer(Func<IEdgeDirectory> directory, Func<EdgeInfo> info, TimeSpan period, TimeProvider time, ILogger logger)
    {
        _directory = directory;
        _info = info;
        _period = period;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_period, _time);
        var failing = false;
        do
        {
            try
            {
                // Bounded by the period: an announcement stuck on a dying silo must not hold up the next one.
                var info = _info();
                await _directory().Announce(info, _period).WaitAsync(_period, _time, stoppingToken);
                if (failing)
                {
                    Log.Announcing(_logger, info.EdgeId);
                }

                failing = false;
            }
#pragma warning disable CA1031 // The cluster may be out of reach for a while (starting, a silo dying): the next period tries again.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
            {
                if (!failing)
                {
                    var edgeId = _info().EdgeId;
                    Log.AnnounceFailed(_logger, e, edgeId);
                }

                failing = true;
            }
        }
        while (await WaitNextAsync(timer, stoppingToken));
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken); // no announcement after the withdrawal
        var edgeId = _info().EdgeId;
        try
        {
            await _directory().Withdraw(edgeId).WaitAsync(WithdrawTimeout, _time, cancellationToken);
            Log.Withdrawn(_logger, edgeId);
        }
#pragma warning disable CA1031 // A withdrawal that fails leaves the edge to be forgotten after three missed announcements.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.WithdrawFailed(_logger, e, edgeId);
        }
    }

    private static async Task<bool> WaitNextAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4220, Level = LogLevel.Warning, Message = "Edge {EdgeId} could not announce itself to the edge directory; trying again every period")]
        public static partial void AnnounceFailed(ILogger logger, Exception exception, string edgeId);

        [LoggerMessage(EventId = 4221, Level = LogLevel.Information, Message = "Edge {EdgeId} announces itself to the edge directory again")]
        public static partial void Announcing(ILogger logger, string edgeId);

        [LoggerMessage(EventId = 4222, Level = LogLevel.Information, Message = "Edge {EdgeId} withdrawn from the edge directory")]
        public static partial void Withdrawn(ILogger logger, string edgeId);

        [LoggerMessage(EventId = 4223, Level = LogLevel.Warning, Message = "Edge {EdgeId} could not withdraw from the edge directory; it is forgotten once its announcements stop")]
        public static partial void WithdrawFailed(ILogger logger, Exception exception, string edgeId);
    }
}
