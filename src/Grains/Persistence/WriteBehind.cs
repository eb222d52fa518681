using CallControl.Grains.Dialogs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CallControl.Grains.Persistence;

/// <summary>
/// The one way a grain makes its store match its memory (a state write, or a clear). The operation is tried at
/// once; when the store is down (<see cref="StoreFailures"/>) the memory stays the truth, the grain is
/// marked dirty, and a grain timer retries with backoff until the store takes it. Saves while dirty only record
/// what is wanted: the timer writes whatever the state is by then. A conflict (<see cref="InconsistentStateException"/>)
/// is never swallowed: at once it reaches the caller; from the timer it deactivates the grain, which re-reads.
/// </summary>
/// <remarks>
/// The retry timer keeps the activation alive (<c>KeepAlive</c>), so a grain with an unwritten state is not
/// collected as idle; the grain must also not ask to deactivate until <see cref="IsClean"/> (see
/// <paramref name="cleaned"/>). Timer callbacks are turns of the (non-reentrant) grain, like its calls.
/// </remarks>
internal sealed partial class WriteBehind(
    IGrainBase grain,
    Func<CancellationToken, Task> write,
    Func<CancellationToken, Task> clear,
    Action cleaned,
    Action conflicted,
    ILogger logger,
    string subject)
{
    private enum Wanted { Nothing, Write, Clear }

    private Wanted _wanted;
    private int _attempt;
    private IGrainTimer? _retry;

    /// <summary>True when the store holds what memory holds (nothing waits for the timer).</summary>
    public bool IsClean => _wanted == Wanted.Nothing;

    /// <summary>Writes the state; false when the store is down and the write waits for the retry timer.</summary>
    public Task<bool> SaveAsync(CancellationToken cancellationToken) => RunAsync(Wanted.Write, cancellationToken);

    /// <summary>Clears the state; false when the store is down and the clear waits for the retry timer.</summary>
    public Task<bool> ClearAsync(CancellationToken cancellationToken) => RunAsync(Wanted.Clear, cancellationToken);

    /// <summary>One last try when the grain deactivates dirty (its silo shuts down during an outage): what is not stored now is lost.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_wanted == Wanted.Nothing)
        {
            return;
        }

        try
        {
            await PerformAsync(_wanted, cancellationToken);
            _wanted = Wanted.Nothing;
        }
#pragma warning disable CA1031 // Deactivation goes on whatever the store says; the loss is logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.Lost(logger, e, subject, _wanted);
        }
    }

    private async Task<bool> RunAsync(Wanted wanted, CancellationToken cancellationToken)
    {
        if (_wanted != Wanted.Nothing)
        {
            _wanted = wanted; // the store is still down as far as we know: the timer does the latest wish
            return false;
        }

        try
        {
            await PerformAsync(wanted, cancellationToken);
            return true;
        }
        catch (Exception e) when (IsOutage(e))
        {
            _wanted = wanted;
            _attempt = 0;
            grain.GrainContext.ActivationServices.GetService<CallMetrics>()?.StateWritesDeferred.Add(1);
            Log.Deferred(logger, subject, wanted, e.GetBaseException().Message);
            ScheduleRetry();
            return false;
        }
    }

    // The generic rule, and what the store registered about its own errors (src/Storage's PostgreSQL classifier).
    private bool IsOutage(Exception exception) => StoreFailures.IsTransient(exception, grain.GrainContext.ActivationServices);

    private Task PerformAsync(Wanted wanted, CancellationToken cancellationToken)
        => wanted == Wanted.Clear ? clear(cancellationToken) : write(cancellationToken);

    private void ScheduleRetry()
    {
        var delay = RetryBackoff.Store.Delay(_attempt++);
        if (_retry is null)
        {
            _retry = grain.RegisterGrainTimer(RetryAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
        else
        {
            _retry.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var wanted = _wanted;
        if (wanted == Wanted.Nothing)
        {
            return;
        }

        try
        {
            await PerformAsync(wanted, cancellationToken);
        }
        catch (InconsistentStateException e)
        {
            // Someone else wrote the row since we read it (or our own write landed though its answer was lost): what
            // we hold cannot be reconciled here. Start again from what is stored, as Orleans does for a grain call.
            Log.Conflict(logger, e, subject);
            StopRetrying();
            conflicted();
            return;
        }
#pragma warning disable CA1031 // Whatever failed, memory is still the truth: keep trying (an unknown failure is logged as an error).
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (IsOutage(e))
            {
                Log.StillDown(logger, e, subject, wanted, _attempt);
            }
            else
            {
                Log.RetryFailed(logger, e, subject, wanted, _attempt);
            }

            ScheduleRetry();
            return;
        }

        Log.Stored(logger, subject, wanted, _attempt);
        StopRetrying();
        cleaned();
    }

    private void StopRetrying()
    {
        _wanted = Wanted.Nothing;
        _attempt = 0;
        _retry?.Dispose();
        _retry = null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "{Subject}: the store is unavailable ({Reason}); the {Operation} is kept in memory and retried")]
        public static partial void Deferred(ILogger logger, string subject, Wanted operation, string reason);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "{Subject}: the {Operation} failed again (attempt {Attempt})")]
        public static partial void StillDown(ILogger logger, Exception exception, string subject, Wanted operation, int attempt);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "{Subject}: the retried {Operation} failed (attempt {Attempt}); trying again")]
        public static partial void RetryFailed(ILogger logger, Exception exception, string subject, Wanted operation, int attempt);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "{Subject}: the store is back; the {Operation} is stored after {Attempt} retries")]
        public static partial void Stored(ILogger logger, string subject, Wanted operation, int attempt);

        [LoggerMessage(EventId = 2105, Level = LogLevel.Error, Message = "{Subject}: the stored state changed under the retried write; deactivating to re-read it")]
        public static partial void Conflict(ILogger logger, Exception exception, string subject);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Error, Message = "{Subject}: deactivating with an unstored {Operation}; it is lost")]
        public static partial void Lost(ILogger logger, Exception exception, string subject, Wanted operation);
    }
}
