namespace CallControl.Grains;

/// <summary>
/// One address of record's registrations (RFC 3261 §10): bindings with expiry, refreshed, removed (Expires: 0,
/// <c>*</c>), several at once, each REGISTER authenticated by digest against the subscriber store.
/// Keyed by the AOR as <c>sip:user@domain</c> (domain lower-cased).
/// </summary>
[Alias("cc.registrar")]
public interface IRegistrarGrain : IGrainWithStringKey
{
    /// <summary>A REGISTER for this AOR: answered with 401 (challenge), 403, 423, or 200 listing the bindings.</summary>
    [Alias("register")]
    Task<SipCommand[]> OnRegister(SipInbound request);

    /// <summary>The bindings that have not expired, most recent first.</summary>
    [Alias("bindings")]
    Task<RegistrarBinding[]> GetBindings();

    /// <summary>
    /// The edge that holds <paramref name="flow"/> (a NATed UDP flow it keeps open, or a connection) found it dead: its
    /// keep-alives went unanswered, or the connection closed. The bindings reached through it are marked unreachable
    /// until the phone registers again. Called once per failed flow, never per keep-alive.
    /// </summary>
    [Alias("flow-failed")]
    Task FlowFailed(SipPeer flow);
}

/// <summary>One contact bound to an AOR, and where its REGISTER came from (a TCP binding's connection and edge).</summary>
[GenerateSerializer, Immutable, Alias("cc.registrar-binding")]
public sealed record RegistrarBinding(
    [property: Id(0)] string Contact,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string CallId,
    [property: Id(3)] uint CSeq,
    [property: Id(4)] SipPeer Source)
{
    /// <summary>The edge that holds <see cref="Source"/>'s connection: calls to a TCP or TLS binding go out through it.</summary>
    [Id(5)] public EdgeInfo? Edge { get; init; }

    /// <summary>The flow was found dead (<see cref="IRegistrarGrain.FlowFailed"/>): no call goes to it until the phone registers again.</summary>
    [Id(6)] public bool Unreachable { get; init; }

    /// <summary>The Contact as the phone wrote it (parameters included, its expires left out): what a 200 lists.</summary>
    [Id(7)] public string? SentContact { get; init; }

    /// <summary>The phone's <c>+sip.instance</c> (RFC 5626, RFC 5627), when it gave one.</summary>
    [Id(8)] public string? Instance { get; init; }

    /// <summary>The phone's <c>reg-id</c> under outbound (RFC 5626 §4.2): one flow per instance and reg-id; 0: none.</summary>
    [Id(9)] public int RegId { get; init; }

    /// <summary>The Path a proxy in front added (RFC 3327), in order: a call to the binding is routed through it.</summary>
    [Id(10)] public string[]? Path { get; init; }

    /// <summary>
    /// Reached through its flow (<see cref="Source"/>, from <see cref="Edge"/>) rather than at its Contact: the phone is
    /// behind NAT (its Contact or Via is not where it sent from) or registered under outbound.
    /// </summary>
    [Id(11)] public bool ThroughFlow { get; init; }

    /// <summary>
    /// The expiry the stored copy carries, at or beyond <see cref="ExpiresAt"/>: a refresh within it is not written,
    /// and after a reactivation it is the binding's expiry (the refreshes since the last write were not stored).
    /// </summary>
    [Id(12)] public DateTimeOffset StoredUntil { get; init; }
}

/// <summary>Turns an address of record into its registrar grain's key.</summary>
public static class AddressOfRecord
{
    /// <summary><c>sip:user@domain</c>, scheme and domain lower-cased, parameters dropped (RFC 3261 §10.3 step 5).</summary>
    public static string Key(Sip.Headers.SipUri uri) => $"{(uri.Scheme == "sips" ? "sips" : "sip")}:{uri.User}@{uri.Host.ToLowerInvariant()}";
}
