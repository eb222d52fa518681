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

/// <summary>A message a grain built, and where it goes.</summary>
/// <param name="Kind">How the edge sends it.</param>
/// <param name="Message">The complete message bytes.</param>
/// <param name="Destination">Where it goes (for a response, the fallback when the transaction is gone).</param>
[GenerateSerializer, Immutable, Alias("cc.sip-command")]
public sealed record SipCommand([property: Id(0)] SipCommandKind Kind, [property: Id(1)] byte[] Message, [property: Id(2)] SipPeer Destination);
