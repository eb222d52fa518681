using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;

namespace CallControl.Edge.Routing;

/// <summary>The grain methods the edge calls: what a <see cref="GrainCall"/> invokes.</summary>
internal enum GrainMethod
{
    /// <summary><see cref="IDialogGrain.OnRequest"/>: a request on either leg, an ACK included.</summary>
    Request,

    /// <summary><see cref="IDialogGrain.OnResponse"/>: a response to a request the grain sent.</summary>
    Response,

    /// <summary><see cref="IDialogGrain.OnClientFailure"/>: a request the grain sent got no final response.</summary>
    ClientFailure,

    /// <summary><see cref="IDialogGrain.OnAckTimeout"/>: a 2xx the grain sent was never acknowledged.</summary>
    AckTimeout,

    /// <summary><see cref="IRegistrarGrain.OnRegister"/>: a REGISTER, to its address of record's registrar.</summary>
    Register,

    /// <summary><see cref="IMessageRelayGrain.Route"/>: an out-of-dialog MESSAGE or OPTIONS to a user, to be relayed.</summary>
    Message,
}

/// <summary>
/// One grain call of the edge, as data: which grain (<see cref="Key"/>), which method, what it carries, and what becomes
/// of the answer. The router decides these; <see cref="GrainDispatcher"/> makes every call the same way (in order per
/// key, measured, retried, timed out, failures answered), so the decisions can be tested without a grain.
/// </summary>
/// <param name="Key">The grain's key: the dialog key (the caller leg's Call-ID), or the address of record for a REGISTER.</param>
/// <param name="Method">The grain method.</param>
/// <param name="Invoke">Calls that method on the grain the factory gives for <paramref name="Key"/>, with the message it carries.</param>
internal sealed record GrainCall(string Key, GrainMethod Method, Func<IGrainFactory, Task<SipCommand[]>> Invoke)
{
    /// <summary>The server transaction the call answers: it gets a 503 when the call fails before a final response was sent.</summary>
    public ServerTransaction? Answers { get; init; }

    /// <summary>The message handed to the grain, which gets a span (none for calls no message started, such as timeouts).</summary>
    public SipMessage? Traced { get; init; }

    /// <summary>A request for the dialog grain <paramref name="key"/>; <paramref name="answers"/> is its server transaction (none for an ACK).</summary>
    public static GrainCall Request(string key, SipInbound inbound, SipMessage request, ServerTransaction? answers)
        => new(key, GrainMethod.Request, grains => grains.GetGrain<IDialogGrain>(key).OnRequest(inbound)) { Answers = answers, Traced = request };

    /// <summary>A response for the dialog grain <paramref name="key"/>.</summary>
    public static GrainCall Response(string key, SipInbound inbound, SipMessage response)
        => new(key, GrainMethod.Response, grains => grains.GetGrain<IDialogGrain>(key).OnResponse(inbound)) { Traced = response };

    /// <summary>A client transaction of the dialog grain <paramref name="key"/> that ended without a final response.</summary>
    public static GrainCall ClientFailure(string key, ClientFailure failure)
        => new(key, GrainMethod.ClientFailure, grains => grains.GetGrain<IDialogGrain>(key).OnClientFailure(failure));

    /// <summary>A 2xx of the dialog grain <paramref name="key"/> that was never acknowledged.</summary>
    public static GrainCall AckTimeout(string key, string callId, uint cseq)
        => new(key, GrainMethod.AckTimeout, grains => grains.GetGrain<IDialogGrain>(key).OnAckTimeout(callId, cseq));

    /// <summary>
    /// An untrusted caller's request for the dialog grain <paramref name="key"/>: <paramref name="attempt"/> is checked
    /// first (<see cref="ISubscriberAuthenticator"/>), and <paramref name="refusal"/> turns the verdict into the response
    /// that refuses or challenges the request, or null to route it (<paramref name="inbound"/>, with the identity it proved).
    /// Checked within the call's turn, so a CANCEL right behind the INVITE still reaches the grain after it.
    /// </summary>
    public static GrainCall Caller(string key, SipInbound inbound, SipMessage request, ServerTransaction answers, CallerAttempt attempt, Func<CallerVerdict, byte[]?> refusal)
        => Request(key, inbound, request, answers).Authenticated(attempt, refusal, request, inbound.Source);

    /// <summary>
    /// An out-of-dialog MESSAGE or OPTIONS to a user: <see cref="IMessageRelayGrain.Route"/> decides where it goes, and
    /// <paramref name="start"/> starts the relay (returning what the dispatcher sends at once: a refusal, or nothing).
    /// Keyed by the request's Call-ID, only to keep one sender's requests in order up to the decision.
    /// </summary>
    public static GrainCall Message(SipInbound inbound, SipMessage request, ServerTransaction answers, Func<MessageRoute, SipCommand[]> start)
        => new(request.CallId, GrainMethod.Message, async grains => start(await grains.GetGrain<IMessageRelayGrain>(IMessageRelayGrain.Key).Route(inbound).ConfigureAwait(false)))
        {
            Answers = answers,
            Traced = request,
        };

    /// <summary>
    /// This call, made only once <paramref name="attempt"/>'s credentials are checked (<see cref="ISubscriberAuthenticator"/>):
    /// <paramref name="refusal"/> turns the verdict into the response that refuses or challenges <paramref name="request"/>
    /// (sent back to <paramref name="source"/>), or null to go on.
    /// </summary>
    public GrainCall Authenticated(CallerAttempt attempt, Func<CallerVerdict, byte[]?> refusal, SipMessage request, SipPeer source)
    {
        var invoke = Invoke;
        return this with
        {
            Invoke = async grains =>
            {
                var verdict = await grains.GetGrain<ISubscriberAuthenticator>(0).Authenticate(attempt).ConfigureAwait(false);
                return refusal(verdict) is { } response
                    ? [SipCommand.Response(response, request, source)]
                    : await invoke(grains).ConfigureAwait(false);
            },
        };
    }

    /// <summary>A REGISTER for the registrar of address of record <paramref name="aor"/>.</summary>
    public static GrainCall Register(string aor, SipInbound inbound, SipMessage request, ServerTransaction answers)
        => new(aor, GrainMethod.Register, grains => grains.GetGrain<IRegistrarGrain>(aor).OnRegister(inbound)) { Answers = answers, Traced = request };
}
