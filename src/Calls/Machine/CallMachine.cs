using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

/// <summary>
/// One call as a back-to-back user agent, as a machine: <c>(state, input, now) → (state', step)</c>. The caller leg
/// (we are its UAS), the callee legs (we are their UAC; one per target rung, the one that answers carries the call),
/// and what each message, timer and decision does to them. The step (<see cref="CallStep"/>) holds the messages to
/// send, the save, the CDR, the flow's news and, when the machine needs what only its host can find out (a route, a
/// flow's decision, whether a save was stored), the question whose answer is its next input. No I/O, no Orleans, no
/// clock but the <c>now</c> it is given; tested by scripts of inputs (tests/CallControl.Calls.Tests).
/// </summary>
/// <remarks>
/// Every input goes through one classify step (<c>Classify</c>, CallMachine.Classify.cs: what happened, in RFC 3261
/// words, and on which leg), then to the handler of the phase the call is in, one file each under Phases/: Idle,
/// Ringing, Up (RFC 6026's Accepted and RFC 3261's Confirmed) and Terminated. What a phase leaves alone, AnyPhase
/// does. The behaviours the phases share (dialling, relaying across the legs, reliable provisionals, the end) are in
/// the other CallMachine.*.cs files. One instance per activation of the call: it caches the parsed caller INVITE,
/// and holds what a question's answer continues.
/// </remarks>
public sealed partial class CallMachine
{
    private readonly Func<DialogState> _state;
    private readonly CallOptions _options;
    private readonly string _silo;
    private readonly CallIdCodec _callIds;
    private readonly ICallEvents _events;
    private readonly bool _anchor;
    private SipMessage? _callerInvite;
    private ServerTransactionId? _callerTransaction;
    private CallStep _step = new();
    private DateTimeOffset _now;

    // What the last question's answer continues (see Resume): the dialled URI while routing, the legs whose
    // INVITEs wait for their save.
    private CallQuestion? _waiting;
    private SipUri? _dialled;
    private List<(CalleeLeg Leg, byte[] Invite)>? _unsent;
    private Action<MediaResult>? _afterMedia; // what a media command's result continues (CallMachine.Media.cs)
    private Action<string?>? _afterAuth; // what a trunk challenge's answer continues (CallMachine.Auth.cs)

    /// <summary>The machine of call <paramref name="callerCallId"/> (the caller leg's Call-ID).</summary>
    /// <param name="callerCallId">The caller leg's Call-ID: the call's identity.</param>
    /// <param name="state">The call's state as the host holds it (read on each input: the host's store may replace the object).</param>
    /// <param name="options">The call timers and the store-outage policy.</param>
    /// <param name="silo">The name the CDR gives for where the call ended.</param>
    /// <param name="callIds">Makes each callee leg's Call-ID from the caller's.</param>
    /// <param name="events">Where the call reports what it does, for logs and metrics.</param>
    /// <param name="anchorMedia">Anchor the call's media on a relay (CallControl:Media:Mode anchor); false passes the SDP through untouched.</param>
    public CallMachine(string callerCallId, Func<DialogState> state, CallOptions options, string silo, CallIdCodec callIds, ICallEvents events, bool anchorMedia = false)
    {
        _anchor = anchorMedia;
        CallerCallId = callerCallId;
        _state = state;
        _options = options;
        _silo = silo;
        _callIds = callIds;
        _events = events;
    }

    /// <summary>The caller leg's Call-ID.</summary>
    public string CallerCallId { get; }

    /// <summary>The call's state.</summary>
    public DialogState State => _state();

    private SipMessage CallerInvite => _callerInvite ??= SipParser.ParseTrusted(State.CallerInvite!);

    // The server transaction every response to the caller's INVITE answers: read from it once, not per response.
    private ServerTransactionId CallerTransaction => _callerTransaction ??= ServerTransactionId.Of(CallerInvite);

    /// <summary>Takes one input at <paramref name="now"/> and returns what the call does about it.</summary>
    /// <exception cref="InvalidOperationException">An answer that is not to the question asked, or another input while one is open.</exception>
    public CallStep Handle(CallInput input, DateTimeOffset now)
    {
        _now = now;
        _step = new CallStep();
        if (_waiting is not null)
        {
            Resume(input);
        }
        else if (input is Routed or FlowDecided or StateSaved or MediaDone or Authorized)
        {
            throw new InvalidOperationException($"Call {CallerCallId}: {input.GetType().Name} answers no question.");
        }
        else
        {
            Dispatch(Classify(input));
        }

        return _step;
    }

    /// <summary>The phase's handler first; what it leaves, the handler of every phase.</summary>
    private void Dispatch(in Happening happening)
    {
        var handled = State.Phase switch
        {
            DialogPhase.None => Idle(happening),
            DialogPhase.Calling or DialogPhase.Early => Ringing(happening),
            DialogPhase.Answered => Accepted(happening),
            DialogPhase.Confirmed => Up(happening),
            _ => Terminated(happening),
        };
        if (!handled)
        {
            AnyPhase(happening);
        }
    }

    /// <summary>
    /// Forgets the open question, whose answer the host could not get (its turn failed and sent nothing): the next
    /// input is taken as new. The route question, which a registrar on a dying silo leaves unanswered, is asked before
    /// the call's phase moves, so the INVITE's retry starts the call afresh; after the others the next message finds the
    /// call as the failed turn left it in memory.
    /// </summary>
    public void Abandon()
    {
        _waiting = null;
        _dialled = null;
        _afterMedia = null;
        _afterAuth = null;
    }

    /// <summary>Stops the step at a question: the host answers it with the next input.</summary>
    private void Ask(CallQuestion question)
    {
        _waiting = question;
        _step.Question = question;
    }

    private void Resume(CallInput answer)
    {
        var question = _waiting;
        _waiting = null;
        switch (question, answer)
        {
            case (RouteQuestion, Routed routed):
                OnRouted(routed.Route);
                break;
            case (FlowQuestion, FlowDecided decided):
                FollowFlow(decided.Action);
                break;
            case (StoreQuestion, StateSaved saved):
                OnLegsSaved(saved);
                break;
            case (MediaQuestion, MediaDone done):
                var then = _afterMedia!;
                _afterMedia = null;
                then(done.Result);
                break;
            case (AuthQuestion, Authorized authorized):
                var answered = _afterAuth!;
                _afterAuth = null;
                answered(authorized.Header);
                break;
            default:
                _waiting = question;
                throw new InvalidOperationException($"Call {CallerCallId}: {answer.GetType().Name} does not answer {question!.GetType().Name}.");
        }
    }
}
