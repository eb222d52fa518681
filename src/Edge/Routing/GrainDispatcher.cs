using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// The one path of every grain call the edge makes (<see cref="GrainCall"/>): in arrival order per key, measured for
/// admission, under the <see cref="GrainCallPolicy"/>, then the grain's answer carried out; a call that still fails
/// becomes a 503 for the transaction it answers, never an unobserved task.
/// </summary>
internal sealed partial class GrainDispatcher(
    IGrainFactory grains, CommandExecutor executor, GrainCallPolicy policy, AdmissionControl? admission, string retryAfter, ILogger logger, CancellationToken stopping)
{
    private readonly PerKeyOrder _order = new();

    /// <summary>
    /// Makes <paramref name="call"/> and carries out the grain's answer; completes when both are done or the failure is
    /// answered. One key's calls go to its grain one at a time, in the order of this method's calls, each after the
    /// previous one's answer went out: a 180 and the 200 right behind it must reach the caller as 180, then 200, and two
    /// calls in flight may take different gateways to the grain's silo and arrive swapped. Other keys are not held up.
    /// </summary>
    public async Task RunAsync(GrainCall call)
    {
        using var activity = call.Traced is null ? null : EdgeTelemetry.Start(call.Traced, call.Key);
        var turn = _order.Enter(call.Key);
        try
        {
            await turn.Previous.ConfigureAwait(false);
            Grains.SipCommand[] commands;
            var started = admission?.CallStarted() ?? 0; // from here to the grain's answer is what admission measures
            try
            {
                commands = await policy.ExecuteAsync(call, grains, stopping).ConfigureAwait(false);
            }
            finally
            {
                admission?.CallEnded(started);
            }

            await executor.ExecuteAsync(commands, call.Key, stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed grain call must become a SIP error, never an unobserved task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.GrainCallFailed(logger, e, call.Key, call.Method);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            if (call.Answers is { LastStatusCode: < 200 } transaction && transaction.Request.Method != SipMethod.Ack)
            {
                // The call's silo or its store is out of reach for now (retries are spent): RFC 3261 §21.5.4
                // says 503 with Retry-After, and a caller or a proxy in front may try again or elsewhere.
                transaction.SendResponse(EdgeResponses.For(transaction.Request, 503, (HeaderId.RetryAfter, retryAfter)));
            }
        }
        finally
        {
            _order.Leave(call.Key, turn);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Call {DialogKey}: grain call {Method} failed")]
        public static partial void GrainCallFailed(ILogger logger, Exception exception, string dialogKey, GrainMethod method);
    }
}
