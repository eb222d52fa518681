using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transactions;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Messages;

/// <summary>
/// Carries out a <see cref="MessageRoute"/>: each request in a client transaction of this edge (or of the edge that
/// holds its destination's connection or flow, through <see cref="IMessageRelayGrain.RelayThrough"/>), all at once or
/// one after another, and the final answer chosen (<see cref="ForkAnswers"/>) back to the sender's server transaction.
/// Nothing is stored: a relay in flight lives in this edge's memory, as the sender's transaction does.
/// </summary>
internal sealed partial class MessageRelay(
    TransactionLayer transactions, PeerResolver resolver, IGrainFactory grains, Func<EdgeInfo> edge, MessageOptions options, TimeProvider time, ILogger logger, CancellationToken stopping)
{
    /// <summary>The options it relays with (the router reads the body limit).</summary>
    public MessageOptions Options => options;

    /// <summary>
    /// Starts relaying <paramref name="route"/> for <paramref name="answers"/>, or returns its refusal for the
    /// dispatcher to send. <paramref name="once"/> keeps a grain call that its policy retried (the first attempt came
    /// back late) from relaying the message twice.
    /// </summary>
    public SipCommand[] Start(MessageRoute route, ServerTransaction answers, RelayOnce once)
    {
        if (route.Refusal is { } refusal)
        {
            return [refusal];
        }

        if (once.TryStart())
        {
            _ = RunAsync(route, answers);
        }

        return [];
    }

    /// <summary>Sends <paramref name="request"/> from this edge and waits up to <paramref name="timeout"/> for its final answer.</summary>
    public async Task<RelayedAnswer> SendHereAsync(SipCommand request, TimeSpan timeout)
    {
        var destination = await resolver.ResolveAsync(request.Destination, stopping).ConfigureAwait(false);
        if (destination is null)
        {
            return new RelayedAnswer(503);
        }

        var note = new RelayNote();
        transactions.SendRequest(SipParser.ParseTrusted(request.Message), destination.Value, note);
        try
        {
            return await note.Answer.WaitAsync(timeout, time, stopping).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new RelayedAnswer(408); // the transaction runs on to its Timer F; its answer is no longer awaited
        }
    }

    private async Task RunAsync(MessageRoute route, ServerTransaction answers)
    {
        try
        {
            var answer = route.Fork ? await ForkAsync(route.Requests).ConfigureAwait(false) : await InTurnAsync(route.Requests).ConfigureAwait(false);
            if (answers.LastStatusCode < 200)
            {
                answers.SendResponse(RelayedResponses.For(answers.Request, answer));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The edge stops: the sender's retransmissions reach another edge (through the balancer), or it times out.
        }
#pragma warning disable CA1031 // A relay that fails must answer its sender, never end as an unobserved task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.RelayFailed(logger, e, answers.Request.CallId);
            if (answers.LastStatusCode < 200)
            {
                answers.SendResponse(RelayedResponses.For(answers.Request, new RelayedAnswer(503)));
            }
        }
    }

    // Every binding at once; the first 2xx (or 6xx) answers, else the best once all have (ForkAnswers).
    private async Task<RelayedAnswer> ForkAsync(SipCommand[] requests)
    {
        var pending = requests.Select(r => SendAsync(r, options.Timeout)).ToList();
        var arrived = new List<RelayedAnswer>(pending.Count);
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            arrived.Add(await done.ConfigureAwait(false));
            if (ForkAnswers.Decide(arrived, pending.Count) is { } answer)
            {
                return answer;
            }
        }

        return ForkAnswers.Best(arrived);
    }

    // A route's targets and their servers in order, the next after no answer, a 408 or a 5xx, all within one timeout.
    private async Task<RelayedAnswer> InTurnAsync(SipCommand[] requests)
    {
        var deadline = time.GetUtcNow() + options.Timeout;
        var answers = new List<RelayedAnswer>(1);
        foreach (var request in requests)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            var answer = await SendAsync(request, left).ConfigureAwait(false);
            if (!ForkAnswers.TriesNext(answer))
            {
                return answer;
            }

            answers.Add(answer);
        }

        return ForkAnswers.Best(answers);
    }

    // Here, or through the edge that holds the destination's connection or NATed flow.
    private async Task<RelayedAnswer> SendAsync(SipCommand request, TimeSpan timeout)
    {
        var destination = request.Destination;
        if (!destination.IsHeldByEdge || destination.EdgeId == edge().EdgeId)
        {
            return await SendHereAsync(request, timeout).ConfigureAwait(false);
        }

        try
        {
            return await grains.GetGrain<IMessageRelayGrain>(IMessageRelayGrain.Key).RelayThrough(request, timeout).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The holder or the cluster did not answer: to the sender, as no answer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.HolderFailed(logger, e, destination.EdgeId);
            return new RelayedAnswer(408);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4601, Level = LogLevel.Error, Message = "Relaying the message of Call-ID {CallId} failed; the sender gets 503")]
        public static partial void RelayFailed(ILogger logger, Exception exception, string callId);

        [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "A message could not be relayed through edge {EdgeId}; the sender gets 408")]
        public static partial void HolderFailed(ILogger logger, Exception exception, string? edgeId);
    }
}

/// <summary>Lets one relay start per received request, however many times its grain call was attempted.</summary>
internal sealed class RelayOnce
{
    private int _started;

    /// <summary>True the first time only.</summary>
    public bool TryStart() => Interlocked.Exchange(ref _started, 1) == 0;
}
