using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CallControl.Storage;

/// <summary>
/// How far behind each billing consumer is: the age of the oldest CDR below its checkpoint's horizon, read from
/// table cdr every 15 s and exported as <c>callcontrol_cdr_consumer_lag_seconds</c> (label <c>consumer</c>; meter
/// <c>CallControl.Storage</c>), which alert CallControlCdrConsumerLagging watches. 0 for a consumer that is up to date.
/// Every silo exports the same figures; the alert takes the maximum.
/// </summary>
public sealed partial class CdrConsumerLag(NpgsqlDataSource dataSource, ILogger<CdrConsumerLag> logger, IMeterFactory meterFactory) : BackgroundService
{
    /// <summary>The meter.</summary>
    public const string MeterName = "CallControl.Storage";

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<string, double> _lag = new(StringComparer.Ordinal);
    private ObservableGauge<double>? _gauge;

    /// <summary>Each consumer's lag in seconds, as one query reads it: the first unread row by (txid, id), its age.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> ReadAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        const string sql = """
            SELECT c.name,
                   COALESCE(EXTRACT(EPOCH FROM now() - (SELECT d.written_at FROM cdr d
                                                         WHERE (d.txid, d.id) > (c.last_txid, c.last_id)
                                                         ORDER BY d.txid, d.id LIMIT 1)), 0)::float8
              FROM cdr_consumer c
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lag = new Dictionary<string, double>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            lag[reader.GetString(0)] = Math.Max(0, reader.GetDouble(1));
        }

        return lag;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _gauge ??= meterFactory.Create(MeterName).CreateObservableGauge<double>("callcontrol.cdr.consumer.lag", Observe, unit: "s", description: "Age of the oldest CDR each consumer has not read");
        using var timer = new PeriodicTimer(Period);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (consumer, seconds) in await ReadAsync(dataSource, cancellationToken))
            {
                _lag[consumer] = seconds;
            }
        }
        catch (NpgsqlException e)
        {
            Log.ReadFailed(logger, e); // the store is down: the last figures stay, and the store's own alerts say why
        }
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        foreach (var (consumer, seconds) in _lag)
        {
            yield return new Measurement<double>(seconds, new KeyValuePair<string, object?>("consumer", consumer));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "CDR consumer lag: cannot read the checkpoints")]
        public static partial void ReadFailed(ILogger logger, Exception exception);
    }
}
