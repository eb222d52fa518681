namespace CallControl.Grains.Flows;

/// <summary>
/// Somewhere a call flow dials: a SIP URI, and optionally headers to add to that leg's INVITE. Routers also set
/// <see cref="Hop"/> for a registered TCP or TLS binding, whose INVITE must go over the connection its REGISTER
/// came on (RFC 3261 §18.1.1 reuse, RFC 5626's idea), held by the edge <see cref="HopEdge"/>.
/// </summary>
/// <param name="Uri">The Request-URI of the leg, e.g. <c>sip:+4930123@trunk.example.net;transport=tcp</c>.</param>
[GenerateSerializer, Immutable, Alias("cc.dial-target")]
public sealed record DialTarget([property: Id(0)] string Uri)
{
    /// <summary>
    /// Headers added to this leg's INVITE (name → value), e.g. <c>Alert-Info</c> or <c>X-Hunt-Member</c>; each replaces the
    /// caller's header of that name that the route's header policy would let cross.
    /// </summary>
    [Id(1)] public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The connection to send through instead of resolving <see cref="Uri"/>; null: resolve the URI.</summary>
    [Id(2)] public SipPeer? Hop { get; init; }

    /// <summary>The edge that holds <see cref="Hop"/>'s connection (its addresses go into the leg's Via and Contact).</summary>
    [Id(3)] public EdgeInfo? HopEdge { get; init; }

    /// <summary>
    /// The servers DNS found for <see cref="Uri"/>'s host (RFC 3263), in the order to try them: the leg goes to the
    /// first, and to the next on a 503, a timeout or a transport error (§4.3). Null: not looked up (an address, or a
    /// <see cref="Hop"/>); empty: DNS found none, and the target fails as unreachable. Set by the dialog's host.
    /// </summary>
    [Id(4)] public IReadOnlyList<SipPeer>? Hops { get; init; }

    /// <inheritdoc />
    public override string ToString() => Uri;
}
