using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Storage.Batching;

/// <summary>
/// Coalesces statements that arrive together into one <see cref="NpgsqlBatch"/> round trip: one implicit
/// transaction, one commit, one fsync for up to <see cref="BatchingOptions.MaxStatements"/> statements.
/// PostgreSQL's CPU per statement is what limits calls per second on a small node (../shared/design/ORLEANS.md §9:
/// ~130 µs a round trip against ~57 µs a row in a batch), and most of it is per round trip.
/// </summary>
/// <remarks>
/// A few writer loops (<see cref="BatchingOptions.Connections"/>) take what is queued when they come free, so a
/// lone statement goes at once (no added wait) and batches grow only with the load: group commit. Nobody hears
/// of success before the batch has committed. A statement that fails with an error of its own (not an outage)
/// would roll the whole batch back, so the batch is then run again one statement at a time and only that one
/// fails. Statements of one caller keep their order only if the caller awaits each before the next (grains do).
/// </remarks>
public sealed partial class StatementBatcher : IAsyncDisposable
{
    private readonly Histogram<int> _batchSize;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger<StatementBatcher> _logger;
    private readonly int _maxStatements;
    private readonly Channel<BatchedStatement> _queue = Channel.CreateUnbounded<BatchedStatement>();
    private readonly Task[] _writers;

    /// <summary>Starts the writer loops; batch sizes are recorded in the meter <c>CallControl.Storage</c> of <paramref name="meterFactory"/>.</summary>
    public StatementBatcher(NpgsqlDataSource dataSource, IOptions<BatchingOptions> options, ILogger<StatementBatcher> logger, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        _batchSize = meterFactory.Create(CdrConsumerLag.MeterName).CreateHistogram<int>(
            "callcontrol.storage.batch.statements", unit: "{statement}", description: "Statements per PostgreSQL round trip of the write batcher");
        _dataSource = dataSource;
        _logger = logger;
        _maxStatements = options.Value.MaxStatements;
        _writers = new Task[options.Value.Connections];
        for (var i = 0; i < _writers.Length; i++)
        {
            _writers[i] = Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>Queues a statement; await its <see cref="BatchedStatement{T}.Task"/> for the committed result.</summary>
    public Task<T> ExecuteAsync<T>(BatchedStatement<T> statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!_queue.Writer.TryWrite(statement))
        {
            statement.Fail(new ObjectDisposedException(nameof(StatementBatcher), "The write batcher has stopped."));
        }

        return statement.Task;
    }

    /// <summary>Takes no more statements, and returns when every queued one has been written (or has failed).</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<BatchedStatement>(_maxStatements);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _maxStatements && _queue.Reader.TryRead(out var statement))
            {
                batch.Add(statement);
            }

            if (batch.Count > 0)
            {
                await RunAsync(batch).ConfigureAwait(false);
                batch.Clear();
            }
        }
    }

    private async Task RunAsync(List<BatchedStatement> batch)
    {
        try
        {
            await ExecuteAsync(batch).ConfigureAwait(false);
            _batchSize.Record(batch.Count);
        }
        catch (PostgresException e) when (batch.Count > 1 && !e.IsTransient)
        {
            // One statement's own error rolled the batch back: run them one by one, so that only it fails.
            Log.BatchSplit(_logger, e, batch.Count);
            foreach (var statement in batch)
            {
                await RunAloneAsync(statement).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Every statement must hear how its batch ended; the exception is theirs to handle.
        catch (Exception e)
#pragma warning restore CA1031
        {
            foreach (var statement in batch)
            {
                statement.Fail(e);
            }
        }
    }

    private async Task RunAloneAsync(BatchedStatement statement)
    {
        try
        {
            await ExecuteAsync([statement]).ConfigureAwait(false);
            _batchSize.Record(1);
        }
#pragma warning disable CA1031 // The statement hears of it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            statement.Fail(e);
        }
    }

    private async Task ExecuteAsync(IReadOnlyList<BatchedStatement> statements)
    {
        var connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var batch = new NpgsqlBatch(connection);
            await using (batch.ConfigureAwait(false))
            {
                foreach (var statement in statements)
                {
                    batch.BatchCommands.Add(statement.CreateCommand());
                }

                var reader = await batch.ExecuteReaderAsync().ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var index = 0;
                    do
                    {
                        statements[index++].Read(reader);
                    }
                    while (index < statements.Count && await reader.NextResultAsync().ConfigureAwait(false));

                    // Past the last result set is the batch's end (and an error of a statement after them, if any).
                    while (await reader.NextResultAsync().ConfigureAwait(false))
                    {
                    }
                }
            }
        }

        // Committed: the implicit transaction ended with the reader.
        foreach (var statement in statements)
        {
            statement.Complete();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "A statement failed in a batch of {Count}; running them one by one")]
        public static partial void BatchSplit(ILogger logger, Exception exception, int count);
    }
}
