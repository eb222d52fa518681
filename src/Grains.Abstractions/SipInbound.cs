namespace CallControl.Grains;

/// <summary>A SIP message as an edge hands it to a grain: the bytes, where they came from, and which edge.</summary>
/// <param name="Message">The message as received (the grain parses what it reads).</param>
/// <param name="Source">The peer it came from (for stream transports, with the connection).</param>
/// <param name="Edge">The edge that received it: its identity and the addresses it advertises.</param>
[GenerateSerializer, Immutable, Alias("cc.sip-inbound")]
public sealed record SipInbound([property: Id(0)] byte[] Message, [property: Id(1)] SipPeer Source, [property: Id(2)] EdgeInfo Edge);

/// <summary>A request the grain sent that ended without a final response.</summary>
/// <param name="CallId">The Call-ID of the leg it was sent on.</param>
/// <param name="CSeq">Its CSeq number.</param>
/// <param name="Method">Its method.</param>
/// <param name="TransportError">True when the peer could not be reached (RFC 3261 §8.1.3.1: as 503), false on timeout (as 408).</param>
[GenerateSerializer, Immutable, Alias("cc.client-failure")]
public sealed record ClientFailure([property: Id(0)] string CallId, [property: Id(1)] uint CSeq, [property: Id(2)] string Method, [property: Id(3)] bool TransportError);
