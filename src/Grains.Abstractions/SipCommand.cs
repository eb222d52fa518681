using CallControl.Sip.Messages;
using CallControl.Sip.Transactions;

namespace CallControl.Grains;

/// <summary>What a grain asks an edge to do with a message it built.</summary>
public enum SipCommandKind : byte
{
    /// <summary>Send a response through the server transaction it answers (matched by its top Via and CSeq); statelessly to the destination if that transaction is gone.</summary>
    Respond,

    /// <summary>Send a request in a new client transaction, reporting its responses and failure back to the grain.</summary>
    Request,

    /// <summary>Send an ACK for a 2xx: end to end, no transaction (RFC 3261 §13.2.2.4).</summary>
    Ack,
}

/// <summary>
/// What the grain does not need to hear back about a message it sent. Each one spares a grain call per call, which is
/// most of what a call costs the cluster (docs/performance.md); an edge that does not know a flag reports as before.
/// </summary>
[Flags]
public enum SipCommandFlags : byte
{
    /// <summary>Report everything: responses and failures of a request, the ACK of a 2xx.</summary>
    None = 0,

    /// <summary>A request whose responses and failure change nothing for the grain (a BYE or CANCEL it sends as
    /// the call ends): the edge's client transaction still runs its course, and keeps what it hears to itself.</summary>
    NoReport = 1,

    /// <summary>
    /// A 2xx to an INVITE whose ACK the grain needs only if it carries a body: the callee leg is already acknowledged
    /// (the offer was in the INVITE). The edge's server transaction takes an empty ACK (it stops the 2xx
    /// retransmissions) and keeps it; an ACK with a body, or one no transaction there claims, goes to the grain.
    /// </summary>
    EdgeTakesEmptyAck = 2,

    /// <summary>
    /// With <see cref="NoReport"/>: a 401 or 407 is reported all the same. A BYE on a callee leg carries it, so that a
    /// trunk that challenges the BYE gets it again with credentials (docs/interop.md, "Outbound authentication"); an
    /// edge that does not know it keeps the challenge, as before.
    /// </summary>
    ReportChallenge = 4,
}

/// <summary>A message a grain built, and where it goes.</summary>
/// <param name="Kind">How the edge sends it.</param>
/// <param name="Message">The complete message bytes.</param>
/// <param name="Destination">Where it goes (for a response, the fallback when the transaction is gone).</param>
/// <param name="Flags">What the grain needs not hear back about it.</param>
[GenerateSerializer, Immutable, Alias("cc.sip-command")]
public sealed record SipCommand(
    [property: Id(0)] SipCommandKind Kind,
    [property: Id(1)] byte[] Message,
    [property: Id(2)] SipPeer Destination,
    [property: Id(3)] SipCommandFlags Flags = SipCommandFlags.None)
{
    /// <summary>
    /// For a response: the server transaction it answers, as the grain read it from the request, so the edge finds it
    /// without parsing the response. Null from a grain that does not set it: the edge then parses.
    /// </summary>
    [Id(4)] public ServerTransactionId? Answers { get; init; }

    /// <summary>A response to <paramref name="request"/>, with the transaction it answers.</summary>
    public static SipCommand Response(byte[] message, SipMessage request, SipPeer destination, SipCommandFlags flags = SipCommandFlags.None)
        => new(SipCommandKind.Respond, message, destination, flags) { Answers = ServerTransactionId.Of(request) };
}

/// <summary>
/// A server transaction as a grain names it for its edge (RFC 3261 §17.2.3): the request's top Via branch and sent-by,
/// and its method.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.server-transaction")]
public sealed record ServerTransactionId([property: Id(0)] string Branch, [property: Id(1)] string SentBy, [property: Id(2)] SipMethod Method)
{
    /// <summary>The transaction <paramref name="request"/> arrived in (what a response to it answers).</summary>
    public static ServerTransactionId Of(SipMessage request)
    {
        var via = request.TopVia;
        return new(via.Branch ?? "", via.SentBy, request.Method);
    }

    /// <summary>The transaction layer's key for it (the same as <see cref="TransactionKey.ForServerResponse"/> gives for the response).</summary>
    public TransactionKey Key => new(Branch, SentBy, Method);
}
