using System.Collections.Concurrent;
using CallControl.Grains;
using CallControl.Grains.Cdr;
using CallControl.Grains.Dialogs;
using CallControl.Grains.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallControl.Silo.Cdr;

/// <summary>
/// The silo's CDR outbox, in front of the real CDR store: a write is tried at once; if the store fails it, the
/// record is kept here and a background loop retries it with backoff until the store takes it. The store is
/// idempotent by call id (table <c>cdr</c>: <c>uq_cdr_call</c> with <c>ON CONFLICT DO NOTHING</c>), so a retry of a
/// write that did land, or a record handed in twice, still makes one row. <see cref="WriteAsync"/> completes once the
/// record is stored or held here, so a call can end while the store is down.
/// </summary>
/// <remarks>
/// The outbox is memory: a record still here when the process dies is lost (docs/architecture.md, "Store
/// outages"). On a graceful stop it flushes what it can for a bounded time, after the silo has stopped, so the
/// calls ended by the shutdown itself are included (<see cref="StoppedAsync"/>). An outage is told from a refusal by
/// the generic rule and the store's own classifiers (<see cref="StoreFailures"/>).
/// </remarks>
public sealed partial class CdrOutbox(ICdrSink store, IEnumerable<IStoreFailureClassifier> classifiers, ILogger<CdrOutbox> logger)
    : BackgroundService, ICdrSink, IHostedLifecycleService
{
    /// <summary>The service key of the store the outbox fronts.</summary>
    public const string StoreKey = "cdr-store";

    // A first try must not hold a call's end for long: a hung server (no refusal, no answer) would otherwise
    // keep the BYE's answer waiting for the driver's timeouts. A try that lands after the cut is harmless (idempotent).
    private static readonly TimeSpan FirstTryBudget = TimeSpan.FromSeconds(2);

    // How long a graceful stop may spend flushing: well inside the host's shutdown timeout (30 s by default).
    private static readonly TimeSpan StopFlushBudget = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, CallDetailRecord> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>An outbox that knows only the generic outage rule (sockets, timeouts, I/O).</summary>
    public CdrOutbox(ICdrSink store, ILogger<CdrOutbox> logger)
        : this(store, [], logger)
    {
    }

    /// <summary>How many records wait for the store.</summary>
    public int Pending => _pending.Count;

    /// <inheritdoc />
    public async Task WriteAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_pending.IsEmpty)
        {
            Hold(record); // the store was down a moment ago: queue behind the others rather than knock again per call
            return;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(FirstTryBudget);
        try
        {
            await store.WriteAsync(record, budget.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            CallMetrics.CdrWriteFailures.Add(1);
            Log.Held(logger, record.CallId, e.GetBaseException().Message);
            Hold(record);
        }
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => OutboxLoop.RunAsync(_wake, () => !_pending.IsEmpty, FlushAsync, stoppingToken); // stopping: StoppedAsync flushes what is left

    /// <summary>
    /// Writes what waits, in turn; false when anything is left. An outage stops the round at once; a record the
    /// store refuses for another reason is kept (never dropped) but does not hold up the others.
    /// </summary>
    private async Task<bool> FlushAsync(CancellationToken cancellationToken)
    {
        var all = true;
        foreach (var (callId, record) in _pending)
        {
            try
            {
                await store.WriteAsync(record, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                CallMetrics.CdrWriteFailures.Add(1);
                if (StoreFailures.IsTransient(e, classifiers))
                {
                    Log.StillDown(logger, e);
                    return false;
                }

                Log.RetryFailed(logger, e, callId);
                all = false;
                continue;
            }

            if (_pending.TryRemove(new KeyValuePair<string, CallDetailRecord>(callId, record)))
            {
                CallMetrics.CdrsPending.Add(-1);
                Log.Written(logger, callId);
            }
        }

        return all;
    }

    private void Hold(CallDetailRecord record)
    {
        if (_pending.TryAdd(record.CallId, record))
        {
            CallMetrics.CdrsPending.Add(1);
        }

        _wake.Release();
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service (the silo too) has stopped: flush what is left, for a bounded time.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StopFlushBudget);
        var attempt = 0;
        try
        {
            while (!_pending.IsEmpty && !await FlushAsync(budget.Token))
            {
                await Task.Delay(RetryBackoff.Store.Delay(attempt++), budget.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // out of time: what is left is reported below
        }

        if (!_pending.IsEmpty)
        {
            Log.LostAtStop(logger, _pending.Count, string.Join(", ", _pending.Keys.Take(20)));
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "CDR of call {CallId} not written ({Reason}); held in the outbox and retried")]
        public static partial void Held(ILogger logger, string callId, string reason);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "CDR store still unavailable; the outbox waits")]
        public static partial void StillDown(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "CDR of call {CallId}: the retried write failed; kept and retried")]
        public static partial void RetryFailed(ILogger logger, Exception exception, string callId);

        [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "CDR of call {CallId} written from the outbox")]
        public static partial void Written(ILogger logger, string callId);

        [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "Stopping with {Count} CDRs the store never took; they are lost: {CallIds}")]
        public static partial void LostAtStop(ILogger logger, int count, string callIds);
    }
}
