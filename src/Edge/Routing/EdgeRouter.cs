using CallControl.Edge.Registrar;
using CallControl.Edge.Security;
using CallControl.Grains;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;
using CallControl.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace CallControl.Edge.Routing;

/// <summary>
/// The edge's transaction user: decides, for every request and response that the transaction layer lets through,
/// whether the edge answers it itself (screening, draining, OPTIONS, methods nobody handles) or which grain call it
/// becomes (<see cref="GrainCall"/>), which <see cref="GrainDispatcher"/> then makes and whose answer it carries out.
/// Keeps no call state of its own. It is also the gate of new calls: an overloaded edge refuses them before any
/// transaction exists (<see cref="INewCallGate"/>).
/// </summary>
internal sealed class EdgeRouter : ITransactionUser, INewCallGate
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

    private const string AllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, UPDATE, INFO, MESSAGE";
    private readonly GrainKeys _keys;
    private readonly Func<EdgeInfo> _edge;
    private readonly DrainSwitch _drain;
    private readonly string _retryAfter;
    private readonly AdmissionControl? _admission;
    private readonly GrainDispatcher _dispatcher;
    private readonly EdgeMetrics? _metrics;
    private readonly EdgeSecurity? _security;
    private readonly NatKeepAlives? _keepAlives;
    private readonly Messages.MessageRelay? _messages;

    public EdgeRouter(IGrainFactory grains, GrainKeys keys, CommandExecutor executor, Func<EdgeInfo> edge, EdgeRouterSettings settings, ILogger<EdgeRouter> logger, CancellationToken stopping)
    {
        _keys = keys;
        _edge = edge;
        _drain = settings.Drain;
        _admission = settings.Admission;
        _metrics = settings.Metrics;
        _security = settings.Security;
        _keepAlives = settings.KeepAlives;
        _messages = settings.Messages;
        _retryAfter = ((long)Math.Ceiling(settings.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _dispatcher = new GrainDispatcher(grains, executor, settings.GrainCalls, _admission, _retryAfter, logger, stopping);
    }

    public void OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (RequestScreening.Check(request) is { } rejection)
        {
            transaction.SendResponse(EdgeResponses.For(request, rejection.Status, rejection.Headers));
            return;
        }

        var inDialog = request.To.Tag is not null;
        if (!inDialog && _drain.IsDraining && request.Method is SipMethod.Invite or SipMethod.Register or SipMethod.Options)
        {
            // Draining: no new calls or registrations here, and the balancer's OPTIONS probe fails, so it stops
            // sending new work; RFC 3261 §21.5.4: 503 with Retry-After, which a proxy in front fails over on.
            transaction.SendResponse(EdgeResponses.For(request, 503, DrainingReason, (HeaderId.RetryAfter, _retryAfter)));
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Message or SipMethod.Options when !inDialog && _messages is { } messages && Messages.MessageRouting.IsRelayed(request):
                RelayMessage(messages, request, transaction);
                return;
            case SipMethod.Options when !inDialog:
                // Keep-alive and health probes are answered here, without a grain (ARCHITECTURE.md: Edge).
                transaction.SendResponse(EdgeResponses.For(request, 200, (HeaderId.Allow, AllowedMethods), (HeaderId.Accept, "application/sdp")));
                return;
            case SipMethod.Invite when !inDialog && Untrusted(transaction.Source) is { } security:
                // An untrusted caller: the border challenged it statelessly if it had no credentials (BorderGuard); they
                // are checked with the cluster before anything is routed (CallerAuthentication).
                if (!security.Callers.TryGetCredentials(request, out var credentials))
                {
                    transaction.SendResponse(security.Callers.Challenge(request)); // a host without the border's request screen
                    return;
                }

                Dispatch(CallerCall(security, request, transaction, credentials));
                return;
            case SipMethod.Invite or SipMethod.Cancel:
            case not SipMethod.Unknown when inDialog:
                Dispatch(GrainCall.Request(DialogKey(request), Inbound(request, transaction.Source), request, transaction));
                return;
            case SipMethod.Register:
                var register = GrainCall.Register(AddressOfRecord.Key(request.To.Uri), Inbound(request, transaction.Source), request, transaction);
                register = _keepAlives is { } keepAlives && transaction.Source.Transport == SipTransportKind.Udp ? FlowWatched(keepAlives, register, request, transaction.Source) : register;
                Dispatch(Untrusted(transaction.Source) is { } guarded ? WatchedRegister(guarded, register, request, transaction.Source) : register);
                return;
            case SipMethod.Unknown:
                transaction.SendResponse(EdgeResponses.For(request, 501, (HeaderId.Allow, AllowedMethods)));
                return;
            default:
                transaction.SendResponse(EdgeResponses.For(request, 405, (HeaderId.Allow, AllowedMethods)));
                return;
        }
    }

    public byte[]? Refuse(SipMessage request, TimeSpan waited)
    {
        if (_admission is not { } admission || _drain.IsDraining || admission.TryAdmit(waited, request.MethodName))
        {
            return null; // a draining edge's 503 goes through OnRequest, which also answers REGISTER and OPTIONS
        }

        // The edge or the silos are behind: new work now would only slow down the calls in progress, so it is refused
        // before any grain sees it (RFC 3261 §21.5.4), and the caller or phone may retry after Retry-After. Only new
        // INVITEs and REGISTERs (a flood of registrations is shed as one of calls is): the rest (in-dialog requests,
        // CANCEL, ACK, responses) is what lets answered calls complete, and OPTIONS costs no grain call.
        return EdgeResponses.For(request, 503, OverloadedReason, (HeaderId.RetryAfter, _retryAfter));
    }

    public void OnAck(SipMessage ack, SipEndPoint source, ServerTransaction? answered)
    {
        // Kept here: the ACK of a response the edge gave on its own (a stateless refusal, or one whose transaction has
        // ended: no grain has that dialog, and the ACK of a non-2xx is hop by hop, RFC 3261 §17.1.1.3), or one the
        // grain left to the edge.
        if ((answered is null && ack.To.Tag == EdgeResponses.EdgeTag) || TransactionNotes.IsTakenHere(ack, answered))
        {
            _metrics?.Kept("ack");
            return;
        }

        Dispatch(GrainCall.Request(DialogKey(ack), Inbound(ack, source), ack, answers: null));
    }

    public void OnResponse(ClientTransaction transaction, SipMessage response)
    {
        if (Messages.RelayNote.Of(transaction) is { } relayed)
        {
            relayed.Responded(response); // a relayed MESSAGE's or OPTIONS' answer: to the relay waiting for it, no grain
            return;
        }

        if (response.StatusCode == 100)
        {
            return; // hop by hop: it only stopped our retransmissions
        }

        if (TransactionNotes.IsUnreported(transaction, response))
        {
            _metrics?.Kept("response");
            return;
        }

        Dispatch(GrainCall.Response(DialogKey(response), Inbound(response, transaction.Peer), response));
    }

    public void OnStrayResponse(SipMessage response, SipEndPoint source)
    {
        if (KeepAliveRequest.IsAnswer(response))
        {
            _keepAlives?.TryTakeAnswer(response, source); // the answer to the edge's own keep-alive: no grain's business
            return;
        }

        if (Messages.RelayNote.IsLateAnswer(response))
        {
            return; // a relayed message's answer after its transaction ended (a retransmitted 200): nobody waits for it
        }

        // Its transaction lived on another edge, or has ended (a 2xx retransmission): the grain decides.
        if (response.StatusCode != 100)
        {
            Dispatch(GrainCall.Response(DialogKey(response), Inbound(response, source), response));
        }
    }

    public void OnClientFailure(ClientTransaction transaction, bool transportError)
    {
        if (Messages.RelayNote.Of(transaction) is { } relayed)
        {
            relayed.Failed(transportError);
            return;
        }

        if (TransactionNotes.IsUnreported(transaction))
        {
            _metrics?.Kept("failure"); // a BYE or CANCEL at the end of a call: the grain has nobody left to tell
            return;
        }

        var request = transaction.Request;
        var failure = new ClientFailure(request.CallId, request.CSeq.Number, request.CSeq.MethodName, transportError);
        Dispatch(GrainCall.ClientFailure(DialogKey(request), failure));
    }

    public void OnAckTimeout(ServerTransaction transaction)
    {
        var request = transaction.Request;
        Dispatch(GrainCall.AckTimeout(DialogKey(request), request.CallId, request.CSeq.Number));
    }

    private EdgeSecurity? Untrusted(SipEndPoint source) => _security is { } security && !security.Policy.IsTrusted(source.Address.Address) ? security : null;

    // The INVITE of an untrusted caller: its credentials checked by the cluster, then the call routed with the identity
    // the caller proved (and none it merely claimed: IdentityHeaders), or the challenge or refusal the verdict calls for.
    private GrainCall CallerCall(EdgeSecurity security, SipMessage request, ServerTransaction transaction, DigestCredentials credentials)
        => Authenticated(security, request, transaction, credentials, inbound => GrainCall.Request(DialogKey(request), inbound, request, transaction));

    // A request of an untrusted sender with credentials: call(inbound with the identity it proved) once the cluster
    // found them right; the challenge or refusal the verdict calls for otherwise (CallerAuthentication).
    private GrainCall Authenticated(EdgeSecurity security, SipMessage request, ServerTransaction transaction, DigestCredentials credentials, Func<SipInbound, GrainCall> call)
    {
        var edge = _edge();
        var peer = PeerResolver.ToPeer(transaction.Source, edge.EdgeId);
        var asserted = IdentityHeaders.Rewrite(request.Buffer.Span, CallerAuthentication.AssertedIdentity(credentials));
        var attempt = new CallerAttempt(request.MethodName, credentials.ToHeaderValue(), security.Callers.RealmOf(request));
        return call(new SipInbound(asserted, peer, edge)).Authenticated(attempt, verdict =>
        {
            switch (verdict)
            {
                case CallerVerdict.Ok:
                    return null;
                case CallerVerdict.Wrong:
                    security.Guard.AuthFailed(transaction.Source, credentials.Username, request.MethodName);
                    return EdgeResponses.For(request, 403);
                default:
                    return security.Callers.Challenge(request, stale: verdict == CallerVerdict.Stale);
            }
        }, request, peer);
    }

    // An out-of-dialog MESSAGE, or an OPTIONS to a user: relayed (docs/interop.md, "MESSAGE and OPTIONS out of dialog"),
    // after the same authentication an INVITE meets, unless its body is over the limit.
    private void RelayMessage(Messages.MessageRelay messages, SipMessage request, ServerTransaction transaction)
    {
        if (request.Body.Length > messages.Options.MaxBodySize)
        {
            transaction.SendResponse(EdgeResponses.For(request, 413)); // RFC 3428 §8
            return;
        }

        var once = new Messages.RelayOnce();
        GrainCall Relay(SipInbound inbound) => GrainCall.Message(inbound, request, transaction, route => messages.Start(route, transaction, once));
        if (Untrusted(transaction.Source) is { } security)
        {
            // An OPTIONS to a user too: relayed unauthenticated it would tell anyone which users are registered, and
            // cross to a trunk on our account.
            if (!security.Callers.TryGetCredentials(request, out var credentials))
            {
                transaction.SendResponse(security.Callers.Challenge(request)); // a host without the border's request screen
                return;
            }

            Dispatch(Authenticated(security, request, transaction, credentials, Relay));
            return;
        }

        Dispatch(Relay(Inbound(request, transaction.Source)));
    }

    // A REGISTER from an untrusted source: the registrar's 403 (a wrong password or an unknown user) is a failed attempt.
    private static GrainCall WatchedRegister(EdgeSecurity security, GrainCall register, SipMessage request, SipEndPoint source)
        => register with
        {
            Invoke = async grains =>
            {
                var commands = await register.Invoke(grains).ConfigureAwait(false);
                if (Array.Exists(commands, c => c.Kind == SipCommandKind.Respond && c.Message.AsSpan().StartsWith("SIP/2.0 403 "u8)))
                {
                    var user = request.TryGetCredentials(HeaderId.Authorization, request.To.Uri.Host.ToLowerInvariant(), out var credentials) ? credentials.Username : null;
                    security.Guard.AuthFailed(source, user, "REGISTER");
                }

                return commands;
            },
        };

    // A REGISTER over UDP: the registrar's 2xx tells the edge which NATed flow to keep open, and until when.
    private static GrainCall FlowWatched(NatKeepAlives keepAlives, GrainCall register, SipMessage request, SipEndPoint source)
        => register with
        {
            Invoke = async grains =>
            {
                var commands = await register.Invoke(grains).ConfigureAwait(false);
                keepAlives.Learn(request, source, commands);
                return commands;
            },
        };

    // Every grain call leaves here: the router decides what to call, the dispatcher how (GrainCall, GrainDispatcher).
    private void Dispatch(GrainCall call) => _ = _dispatcher.RunAsync(call);

    private string DialogKey(SipMessage message) => _keys.DialogKey(message.CallId);

    private SipInbound Inbound(SipMessage message, SipEndPoint source)
    {
        var edge = _edge();
        return new SipInbound(message.Buffer.ToArray(), PeerResolver.ToPeer(source, edge.EdgeId), edge);
    }
}
