using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// The edge's transaction user: hands every request and response that the transaction layer lets through
/// to its dialog grain, and carries out what the grain answers. Keeps no call state of its own. It is also the gate
/// of new calls: an overloaded edge refuses them before any transaction exists (<see cref="INewCallGate"/>).
/// </summary>
internal sealed partial class EdgeRouter : ITransactionUser, INewCallGate
{
    /// <summary>
    /// The reason phrase of a draining edge's 503: the balancer in front (scripts/lib/balancer.cfg) tries the next
    /// edge on it, which is safe because the request never reached a grain.
    /// </summary>
    public const string DrainingReason = "Draining";

    /// <summary>
    /// The reason phrase of an overloaded edge's 503 (<see cref="AdmissionControl"/>). Unlike "Draining" the balancer
    /// sends it back to the caller and keeps the edge in its set: the silos behind every edge are what is behind, so
    /// trying the next edge would only add the same load there.
    /// </summary>
    public const string OverloadedReason = "Overloaded";

    private const string AllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO";
    private readonly IGrainFactory _grains;
    private readonly GrainKeys _keys;
    private readonly CommandExecutor _executor;
    private readonly Func<EdgeInfo> _edge;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private readonly DrainSwitch _drain;
    private readonly string _retryAfter;
    private readonly AdmissionControl? _admission;
    private readonly PerKeyOrder _order = new();

    public EdgeRouter(IGrainFactory grains, GrainKeys keys, CommandExecutor executor, Func<EdgeInfo> edge, EdgeRouterSettings settings, ILogger<EdgeRouter> logger, CancellationToken stopping)
    {
        _grains = grains;
        _keys = keys;
        _executor = executor;
        _edge = edge;
        _drain = settings.Drain;
        _admission = settings.Admission;
        _retryAfter = ((long)Math.Ceiling(settings.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _logger = logger;
        _stopping = stopping;
    }

    public void OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (RequestScreening.Check(request) is { } rejection)
        {
            transaction.SendResponse(LegResponse(request, rejection.Status, rejection.Headers));
            return;
        }

        var inDialog = request.To.Tag is not null;
        if (!inDialog && _drain.IsDraining && request.Method is SipMethod.Invite or SipMethod.Register or SipMethod.Options)
        {
            // Draining: no new calls or registrations here, and the balancer's OPTIONS probe fails, so it stops
            // sending new work; RFC 3261 §21.5.4: 503 with Retry-After, which a proxy in front fails over on.
            transaction.SendResponse(LegResponse(request, 503, DrainingReason, (HeaderId.RetryAfter, _retryAfter)));
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Options when !inDialog:
                // Keep-alive and health probes are answered here, without a grain (ARCHITECTURE.md: Edge).
                transaction.SendResponse(LegResponse(request, 200, (HeaderId.Allow, AllowedMethods), (HeaderId.Accept, "application/sdp")));
                return;
            case SipMethod.Invite or SipMethod.Cancel:
            case not SipMethod.Unknown when inDialog:
                Dispatch(transaction, request, (grain, inbound) => grain.OnRequest(inbound));
                return;
            case SipMethod.Register:
                var register = Inbound(request, transaction.Source);
                var aor = AddressOfRecord.Key(request.To.Uri);
                _ = RunAsync(aor, () => _grains.GetGrain<IRegistrarGrain>(aor).OnRegister(register), transaction, request);
                return;
            case SipMethod.Unknown:
                transaction.SendResponse(LegResponse(request, 501, (HeaderId.Allow, AllowedMethods)));
                return;
            default:
                transaction.SendResponse(LegResponse(request, 405, (HeaderId.Allow, AllowedMethods)));
                return;
        }
    }

    public byte[]? Refuse(SipMessage invite, TimeSpan waited)
    {
        if (_admission is not { } admission || _drain.IsDraining || admission.TryAdmit(waited))
        {
            return null; // a draining edge's 503 goes through OnRequest, which also answers REGISTER and OPTIONS
        }

        // The edge or the silos are behind: a new call now would only slow down the calls in progress, so it is refused
        // before any grain sees it (RFC 3261 §21.5.4), and the caller may retry after Retry-After. Only new INVITEs:
        // the rest (in-dialog requests, CANCEL, ACK, responses, REGISTER) is what lets answered calls complete.
        return LegResponse(invite, 503, OverloadedReason, (HeaderId.RetryAfter, _retryAfter));
    }

    public void OnAck(SipMessage ack, SipEndPoint source, ServerTransaction? answered)
    {
        // Kept here: the ACK of a response the edge gave on its own (a stateless refusal, or one whose transaction has
        // ended: no grain has that dialog, and the ACK of a non-2xx is hop by hop, RFC 3261 §17.1.1.3), or one the
        // grain left to the edge.
        if ((answered is null && ack.To.Tag == EdgeTag) || TransactionNotes.IsTakenHere(ack, answered))
        {
            EdgeMetrics.Kept("ack");
            return;
        }

        Dispatch(null, ack, source, (grain, inbound) => grain.OnRequest(inbound));
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        if (response.StatusCode == 100)
        {
            return; // hop by hop: it only stopped our retransmissions
        }

        if (TransactionNotes.IsUnreported(transaction))
        {
            EdgeMetrics.Kept("response");
            return;
        }

        Dispatch(null, response, transaction.Peer, (grain, inbound) => grain.OnResponse(inbound));
    }

    public void OnStrayResponse(SipMessage response, SipEndPoint source)
    {
        // Its transaction lived on another edge, or has ended (a 2xx retransmission): the grain decides.
        if (response.StatusCode != 100)
        {
            Dispatch(null, response, source, (grain, inbound) => grain.OnResponse(inbound));
        }
    }

    public void OnClientFailure(ClientTransaction transaction, bool transportError)
    {
        if (TransactionNotes.IsUnreported(transaction))
        {
            EdgeMetrics.Kept("failure"); // a BYE or CANCEL at the end of a call: the grain has nobody left to tell
            return;
        }

        var request = transaction.Request;
        var failure = new ClientFailure(request.CallId, request.CSeq.Number, request.CSeq.MethodName, transportError);
        _ = RunAsync(request.CallId, grain => grain.OnClientFailure(failure));
    }

    public void OnAckTimeout(ServerTransaction transaction)
    {
        var request = transaction.Request;
        _ = RunAsync(request.CallId, grain => grain.OnAckTimeout(request.CallId, request.CSeq.Number));
    }

    private void Dispatch(ServerTransaction transaction, SipMessage request, Func<IDialogGrain, SipInbound, Task<SipCommand[]>> call)
        => Dispatch(transaction, request, transaction.Source, call);

    private void Dispatch(ServerTransaction? transaction, SipMessage message, SipEndPoint source, Func<IDialogGrain, SipInbound, Task<SipCommand[]>> call)
    {
        var inbound = Inbound(message, source);
        _ = RunAsync(message.CallId, grain => call(grain, inbound), transaction, message);
    }

    private SipInbound Inbound(SipMessage message, SipEndPoint source)
    {
        var edge = _edge();
        return new SipInbound(message.Buffer.ToArray(), PeerResolver.ToPeer(source, edge.EdgeId), edge);
    }

    private Task RunAsync(string callId, Func<IDialogGrain, Task<SipCommand[]>> call, ServerTransaction? transaction = null, SipMessage? traced = null)
    {
        var key = _keys.DialogKey(callId);
        return RunAsync(key, () => call(_grains.GetGrain<IDialogGrain>(key)), transaction, traced);
    }

    /// <summary>
    /// Calls the grain and carries out its answer; <paramref name="traced"/> (the message handed over) gets a span.
    /// One dialog's messages go to its grain one at a time, in arrival order, each after the previous one's answer
    /// went out: a 180 and the 200 right behind it must reach the caller as 180, then 200, and two calls in flight
    /// may take different gateways to the grain's silo and arrive swapped. Other dialogs are not held up.
    /// </summary>
    private async Task RunAsync(string key, Func<Task<SipCommand[]>> call, ServerTransaction? transaction, SipMessage? traced)
    {
        using var activity = traced is null ? null : EdgeTelemetry.Start(traced, key);
        var turn = _order.Enter(key);
        try
        {
            await turn.Previous.ConfigureAwait(false);
            SipCommand[] commands;
            var started = _admission?.CallStarted() ?? 0; // from here to the grain's answer is what admission measures
            try
            {
                commands = await GrainCallRetry.Pipeline.ExecuteAsync(static async (call, _) => await call().ConfigureAwait(false), call, _stopping).ConfigureAwait(false);
            }
            finally
            {
                _admission?.CallEnded(started);
            }

            await _executor.ExecuteAsync(commands, key, _stopping).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed grain call must become a SIP error, never an unobserved task.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.GrainCallFailed(_logger, e, key);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            if (transaction is { LastStatusCode: < 200 } && transaction.Request.Method != SipMethod.Ack)
            {
                // The call's silo or its store is out of reach for now (retries are spent): RFC 3261 §21.5.4
                // says 503 with Retry-After, and a caller or a proxy in front may try again or elsewhere.
                transaction.SendResponse(LegResponse(transaction.Request, 503, (HeaderId.RetryAfter, _retryAfter)));
            }
        }
        finally
        {
            _order.Leave(key, turn);
        }
    }

    private static byte[] LegResponse(SipMessage request, int status, params (HeaderId Id, string Value)[] headers)
        => LegResponse(request, status, reason: null, headers);

    private static byte[] LegResponse(SipMessage request, int status, string? reason, params (HeaderId Id, string Value)[] headers)
    {
        var builder = SipResponses.Create(request, status, reason, toTag: request.To.Tag is null ? EdgeTag : null);
        foreach (var (id, value) in headers)
        {
            builder.Add(id, value);
        }

        return builder.ToArray();
    }

    // The To tag of responses the edge gives on its own: stable per process, so retransmitted answers agree.
    private static readonly string EdgeTag = System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Call {DialogKey}: grain call failed")]
        public static partial void GrainCallFailed(ILogger logger, Exception exception, string dialogKey);
    }
}
