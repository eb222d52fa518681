namespace CallControl.Grains;

/// <summary>
/// Out-of-dialog MESSAGE (RFC 3428) and OPTIONS to a user, relayed as a B2BUA relays them (docs/interop.md,
/// "MESSAGE and OPTIONS out of dialog"): where they go is decided here, from the registrar's bindings or the dial plan,
/// and the requests are built; the edge that took the request sends them and relays the final answer back. Holds no
/// state: a message is not a call, and nothing of it is stored.
/// </summary>
[Alias("cc.message-relay")]
public interface IMessageRelayGrain : IGrainWithIntegerKey
{
    /// <summary>The one key: the implementation is a stateless worker, local to the caller's silo.</summary>
    const long Key = 0;

    /// <summary>
    /// What every Call-ID of a relayed request starts with: an answer to one that reaches an edge after its client
    /// transaction ended is dropped there, not handed to a dialog grain.
    /// </summary>
    const string CallIdPrefix = "ccm-";

    /// <summary>Where the out-of-dialog request <paramref name="inbound"/> goes, with the requests to send there.</summary>
    [Alias("route")]
    Task<MessageRoute> Route(SipInbound inbound);

    /// <summary>
    /// Sends <paramref name="request"/> through the edge that holds its destination's connection or NATed flow
    /// (<see cref="SipPeer.EdgeId"/>), and returns that edge's final answer, within <paramref name="timeout"/>.
    /// </summary>
    [Alias("relay-through")]
    [ResponseTimeout("00:00:45")] // above the longest relay timeout the edge allows (30 s), whatever the client's own
    Task<RelayedAnswer> RelayThrough(SipCommand request, TimeSpan timeout);
}

/// <summary>
/// Where an out-of-dialog MESSAGE or OPTIONS goes: a refusal the edge sends at once (404, 483, ...), or the requests
/// to send, each a <see cref="SipCommandKind.Request"/> with its destination.
/// </summary>
/// <param name="Requests">The requests, in the order to try them.</param>
/// <param name="Fork">True: all at once, the first 2xx answers (a registered user's bindings); false: one after
/// another, the next after a 408, a 5xx or no answer (a route's targets and their servers).</param>
[GenerateSerializer, Immutable, Alias("cc.message-route")]
public sealed record MessageRoute([property: Id(0)] SipCommand[] Requests, [property: Id(1)] bool Fork)
{
    /// <summary>The response to send instead of relaying anything; null when <see cref="Requests"/> go.</summary>
    [Id(2)] public SipCommand? Refusal { get; init; }

    /// <summary>A route that refuses with <paramref name="response"/>.</summary>
    public static MessageRoute Refused(SipCommand response) => new([], Fork: false) { Refusal = response };
}

/// <summary>The final answer to one relayed request: the response as received, or the status of no answer.</summary>
/// <param name="Status">The response's status, or 408 (no answer in time) or 503 (the peer could not be reached, RFC 3261 §8.1.3.1) when none came.</param>
/// <param name="Response">The final response's bytes; null when none came.</param>
[GenerateSerializer, Immutable, Alias("cc.relayed-answer")]
public sealed record RelayedAnswer([property: Id(0)] int Status, [property: Id(1)] byte[]? Response = null);
