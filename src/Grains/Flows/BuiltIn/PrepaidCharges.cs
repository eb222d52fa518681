using System.Collections.Concurrent;
using CallControl.Grains.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CallControl.Grains.Flows.BuiltIn;

/// <summary>
/// The silo's charges in waiting: a call's charge is tried on its account at once; when the account cannot take it
/// (its grain cannot activate because its state cannot be read during a store outage, or its silo is gone), the charge is kept here and
/// a background loop tries it again with backoff until the account takes it. The account charges once per call id,
/// so a retry of a charge that did land, or a charge told twice, takes the seconds once.
/// </summary>
/// <remarks>
/// Memory only, like the CDR outbox (docs/architecture.md, "Store outages"): a charge still here when the process
/// dies is lost, and one still here at a graceful stop is logged with its call id.
/// </remarks>
/// <param name="logger">The log; absent only where a host builds the flows without logging to check routes (the CLI), which never charges.</param>
public sealed partial class PrepaidCharges(ILogger<PrepaidCharges>? logger = null) : BackgroundService
{
    private readonly ILogger _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<PrepaidCharges>.Instance;

    // A first try must not hold a call's end for long (the BYE's answer waits for it): a silo that does not answer
    // would otherwise keep it for the whole grain-call timeout. A try that lands after the cut is harmless (idempotent).
    private static readonly TimeSpan FirstTryBudget = TimeSpan.FromSeconds(2);

    // Each charge with the grain factory of the call that made it (hosts that only check routes have none to give here).
    private readonly ConcurrentDictionary<string, (PrepaidCharge Charge, IGrainFactory Grains)> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>How many charges wait for their account.</summary>
    public int Pending => _pending.Count;

    /// <summary>Charges the call's account through <paramref name="grains"/>, now or, if it cannot be reached, later; completes once charged or kept.</summary>
    public async Task ChargeAsync(IGrainFactory grains, PrepaidCharge charge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(charge);
        try
        {
            await TryAsync(grains, charge).WaitAsync(FirstTryBudget, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ArgumentException)
        {
            Log.Held(_logger, charge.Account, charge.CallId, e.GetBaseException().Message);
            if (_pending.TryAdd(charge.CallId, (charge, grains)))
            {
                _wake.Release();
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await OutboxLoop.RunAsync(_wake, () => !_pending.IsEmpty, _ => RetryAllAsync(), stoppingToken);
        if (!_pending.IsEmpty)
        {
            Log.LostAtStop(_logger, _pending.Count, string.Join(", ", _pending.Keys.Take(20)));
        }
    }

    /// <summary>Tries every waiting charge once; true when none is left.</summary>
    private async Task<bool> RetryAllAsync()
    {
        foreach (var (callId, (charge, grains)) in _pending)
        {
            try
            {
                await TryAsync(grains, charge);
            }
#pragma warning disable CA1031 // The charge stays kept whatever failed; the next round tries it again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.StillFailing(_logger, e, charge.Account, callId);
                continue;
            }

            _pending.TryRemove(callId, out _);
            Log.Charged(_logger, charge.Account, callId, charge.Seconds);
        }

        return _pending.IsEmpty;
    }

    private static Task<long> TryAsync(IGrainFactory grains, PrepaidCharge charge) => grains.GetGrain<IPrepaidAccountGrain>(charge.Account).Charge(charge.CallId, charge.Seconds);

    /// <inheritdoc />
    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Prepaid account {Account}: the charge for call {CallId} was not taken ({Reason}); kept and retried")]
        public static partial void Held(ILogger logger, string account, string callId, string reason);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Debug, Message = "Prepaid account {Account}: the charge for call {CallId} failed again")]
        public static partial void StillFailing(ILogger logger, Exception exception, string account, string callId);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Information, Message = "Prepaid account {Account}: the kept charge of {Seconds} s for call {CallId} is taken")]
        public static partial void Charged(ILogger logger, string account, string callId, long seconds);

        [LoggerMessage(EventId = 2304, Level = LogLevel.Error, Message = "Stopping with {Count} prepaid charges no account took; they are lost: {CallIds}")]
        public static partial void LostAtStop(ILogger logger, int count, string callIds);
    }
}

/// <summary>One call's charge: <paramref name="Seconds"/> from <paramref name="Account"/>, at most once for <paramref name="CallId"/>.</summary>
public sealed record PrepaidCharge(string Account, string CallId, long Seconds);
