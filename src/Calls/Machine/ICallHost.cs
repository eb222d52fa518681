using CallControl.Grains.Routing;
using CallControl.Sip.Headers;

namespace CallControl.Calls;

/// <summary>
/// What a call's machine needs of whoever runs it: the time, answers to its questions, and the effects of its steps.
/// The dialog grain is the host in a silo; tests bring an in-process one.
/// </summary>
public interface ICallHost
{
    /// <summary>The time now.</summary>
    DateTimeOffset Now { get; }

    /// <summary>The call has a stored row from an earlier save.</summary>
    bool EverStored { get; }

    /// <summary>The dial plan's route for a new call, or null (404).</summary>
    ValueTask<RouteDecision?> RouteAsync(SipUri dialled, SipUri caller);

    /// <summary>The call flow's next action: for a new call (<paramref name="outcome"/> null), or after a dial failed.</summary>
    ValueTask<FlowAction> DecideAsync(DialOutcome? outcome);

    /// <summary>
    /// Carries out an anchored call's media command on its media relay; never throws: a failure (a timeout after the
    /// relay's retries, an error reply) comes back as a result that is not <see cref="MediaResult.Ok"/>.
    /// </summary>
    ValueTask<MediaResult> MediaAsync(MediaRequest request);

    /// <summary>
    /// The Authorization (or Proxy-Authorization) value that answers a trunk's challenge, computed from the route's
    /// credentials (<see cref="AuthQuestion.Answer"/>); null when the route has none that answer it.
    /// </summary>
    ValueTask<string?> AuthorizeAsync(AuthQuestion question);

    /// <summary>
    /// A transfer's decision and target (<see cref="TransferQuestion"/>): the flow's <c>OnTransferAsync</c>, then, when it
    /// allows it, the dial plan's targets for the target (located as any dial's; none: no route).
    /// </summary>
    ValueTask<TransferDecided> TransferAsync(TransferQuestion question);

    /// <summary>Makes the CDR durable (or holds it until the store takes it).</summary>
    Task WriteCdrAsync(CallDetailRecord cdr);

    /// <summary>Tells the flow a target answered.</summary>
    Task TellAnsweredAsync(DialTarget target);

    /// <summary>Tells the flow the call ended.</summary>
    Task TellEndedAsync(CallEnd end);

    /// <summary>Saves the state (an ended call's save removes it); false when the store is down and the save waits for its retry.</summary>
    Task<bool> SaveAsync();
}
