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
/// With a <see cref="CdrJournal"/>, a record is made durable there before it is held, and removed from it once the
/// store has it; start-up replays the journal (<see cref="StartingAsync"/>), so a record still here when the process
/// dies is written by its restart (docs/architecture.md, "Store outages"). Without one, or when the journal's disk
/// fails, the record is held in memory only and a death loses it. On a graceful stop it flushes what it can for a
/// bounded time, after the silo has stopped, so the calls ended by the shutdown itself are included
/// (<see cref="StoppedAsync"/>). An outage is told from a refusal by the generic rule and the store's own
/// classifiers (<see cref="StoreFailures"/>).
/// </remarks>
public sealed partial class CdrOutbox(ICdrSink store, IEnumerable<IStoreFailureClassifier> classifiers, CdrJournal? journal, ILogger<CdrOutbox> logger, CdrMetrics? metrics = null)
    : BackgroundService, ICdrSink, IHostedLifecycleService
{
    /// <summary>The service key of the store the outbox fronts.</summary>
    public const string StoreKey = "cdr-store";

    // A first try must not hold a call's end for long: a hung server (no refusal, no answer) would otherwise
    // keep the BYE's answer waiting for the driver's timeouts. A try that lands after the cut is harmless (idempotent).
    private static readonly TimeSpan FirstTryBudget = TimeSpan.FromSeconds(2);

    // How long a graceful stop may spend flushing: well inside the host's shutdown timeout (30 s by default).
    private static readonly TimeSpan StopFlushBudget = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Held> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>An outbox without a journal that knows only the generic outage rule (sockets, timeouts, I/O).</summary>
    public CdrOutbox(ICdrSink store, ILogger<CdrOutbox> logger)
        : this(store, [], null, logger)
    {
    }

    /// <summary>An outbox without a journal: what it holds is lost if the process dies.</summary>
    public CdrOutbox(ICdrSink store, IEnumerable<IStoreFailureClassifier> classifiers, ILogger<CdrOutbox> logger)
        : this(store, classifiers, null, logger)
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
            await HoldAsync(record, cancellationToken); // the store was down a moment ago: queue behind the others rather than knock again per call
            return;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(FirstTryBudget);
        try
        {
            await store.WriteAsync(record, budget.Token);
            return;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.WriteFailures.Add(1);
            Log.Held(logger, record.CallId, e.GetBaseException().Message);
        }

        await HoldAsync(record, cancellationToken);
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
        foreach (var (callId, held) in _pending)
        {
            try
            {
                await store.WriteAsync(held.Record, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                metrics?.WriteFailures.Add(1);
                if (StoreFailures.IsTransient(e, classifiers))
                {
                    Log.StillDown(logger, e);
                    return false;
                }

                Log.RetryFailed(logger, e, callId);
                all = false;
                continue;
            }

            if (_pending.TryRemove(new KeyValuePair<string, Held>(callId, held)))
            {
                metrics?.Pending.Add(-1);
                Log.Written(logger, callId);
                if (held.Journaled)
                {
                    journal?.Remove(callId); // only now: the store has it
                }
            }
        }

        return all;
    }

    /// <summary>Journals the record first (when there is a journal and it works), then holds it.</summary>
    private async Task HoldAsync(CallDetailRecord record, CancellationToken cancellationToken)
    {
        if (_pending.ContainsKey(record.CallId))
        {
            _wake.Release(); // the same call's end again: held (and journaled, if it could be) already
            return;
        }

        var journaled = journal is not null && await journal.TryWriteAsync(record, cancellationToken);
        Hold(new Held(record, journaled));
    }

    private void Hold(Held held)
    {
        if (_pending.TryAdd(held.Record.CallId, held))
        {
            metrics?.Pending.Add(1);
        }

        _wake.Release();
    }

    /// <summary>
    /// Before anything else starts: holds again what the journal kept from a predecessor (a crash, a stop during an
    /// outage), so the retry loop writes it once the store takes writes.
    /// </summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (journal is null)
        {
            return Task.CompletedTask;
        }

        var records = journal.Replay();
        foreach (var record in records)
        {
            Hold(new Held(record, Journaled: true));
        }

        if (records.Count > 0)
        {
            Log.Replayed(logger, records.Count, journal.Directory);
        }

        return Task.CompletedTask;
    }

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
        catch (Exception) when (budget.IsCancellationRequested)
        {
            // out of time (a store's driver may throw its own error rather than a cancellation): what is left is reported below
        }

        var kept = _pending.Values.Where(h => h.Journaled).ToList();
        if (kept.Count > 0)
        {
            Log.KeptAtStop(logger, kept.Count, journal!.Directory);
        }

        var lost = _pending.Values.Where(h => !h.Journaled).Select(h => h.Record.CallId).ToList();
        if (lost.Count > 0)
        {
            Log.LostAtStop(logger, lost.Count, string.Join(", ", lost.Take(20)));
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>A record the outbox holds, and whether the journal has it too.</summary>
    private sealed record Held(CallDetailRecord Record, bool Journaled);
}
