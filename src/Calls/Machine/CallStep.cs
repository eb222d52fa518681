using CallControl.Sip.Headers;

namespace CallControl.Calls;

/// <summary>
/// What one input made the call do, for the host to carry out in this order: write <see cref="Cdr"/> (durably), tell
/// the flow (<see cref="AnsweredBy"/>, <see cref="Ended"/>), save the state (<see cref="Save"/>), answer
/// <see cref="Question"/> if there is one (its answer is the next input), and, once nothing is left to ask, send
/// <see cref="Commands"/>: a party hears of a change only after what makes it durable.
/// </summary>
public sealed class CallStep
{
    /// <summary>The SIP messages to send.</summary>
    public List<SipCommand> Commands { get; } = new(2);

    /// <summary>The state must be saved (an ended call's save removes it).</summary>
    public bool Save { get; internal set; }

    /// <summary>The CDR of a call that just ended, to be made durable before anything else.</summary>
    public CallDetailRecord? Cdr { get; internal set; }

    /// <summary>The target that answered, for the flow's <c>OnAnsweredAsync</c>.</summary>
    public DialTarget? AnsweredBy { get; internal set; }

    /// <summary>How the call ended, for the flow's <c>OnEndedAsync</c>.</summary>
    public CallEnd? Ended { get; internal set; }

    /// <summary>What the machine needs to know before it can go on; null when the step is complete.</summary>
    public CallQuestion? Question { get; internal set; }
}

/// <summary>Something only the host can find out; its answer is the machine's next input.</summary>
public abstract record CallQuestion;

/// <summary>Where does a call to <paramref name="Dialled"/> from <paramref name="Caller"/> go? Answer: <see cref="Routed"/>.</summary>
public sealed record RouteQuestion(SipUri Dialled, SipUri Caller) : CallQuestion;

/// <summary>What does the flow do next? Answer: <see cref="FlowDecided"/>.</summary>
/// <param name="Outcome">Null: the call just arrived (<c>OnCallAsync</c>); else how the last dial ended (<c>OnDialFailedAsync</c>).</param>
public sealed record FlowQuestion(DialOutcome? Outcome) : CallQuestion;

/// <summary>
/// An anchored call's media command (an SDP offer or answer to rewrite, or the end's delete). Answer: <see cref="MediaDone"/>.
/// Asked only when the call anchors media (docs/media.md, "Anchoring a call").
/// </summary>
public sealed record MediaQuestion(MediaRequest Request) : CallQuestion;

/// <summary>
/// A trunk challenged a request on a callee leg (401 or 407): what goes in its Authorization (or Proxy-Authorization)
/// header when the request is sent again? Answer: <see cref="Authorized"/>. The call names only its route: the host
/// reads the route's credentials (<see cref="Grains.Routing.IRouteCredentials"/>) and answers with <see cref="Answer"/>,
/// so no secret passes through the machine or its state (docs/interop.md, "Outbound authentication").
/// </summary>
/// <param name="Route">The call's route (<see cref="DialogState.Route"/>).</param>
/// <param name="Challenges">The challenges of the 401 (WWW-Authenticate) or 407 (Proxy-Authenticate), in the trunk's order.</param>
/// <param name="Method">The challenged request's method.</param>
/// <param name="DigestUri">Its Request-URI, which the response signs.</param>
public sealed record AuthQuestion(string Route, IReadOnlyList<Sip.Auth.DigestChallenge> Challenges, string Method, string DigestUri) : CallQuestion
{
    /// <summary>The credentials for the first challenge <paramref name="credentials"/> can answer; null when there are none, or none fits.</summary>
    public Sip.Auth.DigestCredentials? Answer(Grains.Routing.TrunkCredentials? credentials)
        => credentials is not null && credentials.TryChoose(Challenges, out var chosen) ? credentials.Answer(chosen, Method, DigestUri) : null;
}

/// <summary>
/// A party asked to transfer the call (REFER): may it, and where does its target go? The host asks the flow
/// (<see cref="ICallFlow.OnTransferAsync"/>), then routes the target through the dial plan and locates it as any dial's.
/// Answer: <see cref="TransferDecided"/>.
/// </summary>
public sealed record TransferQuestion(TransferRequest Request, SipUri Transferee) : CallQuestion
{
    /// <summary>An attended transfer's dialog to replace (the transferor's other call): its far party is the target.</summary>
    public ReplacedDialog? Replaces { get; init; }
}

/// <summary>Was this step's save stored? Answer: <see cref="StateSaved"/>. Asked before a leg's INVITE goes out.</summary>
public sealed record StoreQuestion : CallQuestion
{
    /// <summary>The one instance.</summary>
    public static StoreQuestion Instance { get; } = new();
}
