namespace CallControl.Grains.Routing;

/// <summary>
/// A route's SIP normalisation (docs/interop.md, "Header policy and number normalisation"): which headers cross between
/// the legs (<see cref="Headers"/>), how the identity headers toward its callees are rewritten (<see cref="Rewrite"/>),
/// and the rules that make its numbers E.164 (<see cref="Numbers"/>: the Request-URI, To, From and P-Asserted-Identity
/// users toward its callees). Kept in the call's state from the moment it is routed, so every later relay (on any silo
/// that carries the call on) applies the policy the call started with. Ids are append only.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.route-policy")]
public sealed record RoutePolicy
{
    /// <summary>No policy: the default headers cross, nothing is rewritten or normalised.</summary>
    public static RoutePolicy Default { get; } = new();

    [Id(0)] public HeaderPolicy Headers { get; init; } = HeaderPolicy.Default;

    [Id(1)] public IdentityRewrite Rewrite { get; init; } = new();

    /// <summary>The number rules (an array, as <see cref="HeaderPolicy"/>'s lists are, for the JSON storage).</summary>
    [Id(2)] public NumberRule[] Numbers { get; init; } = [];

    /// <summary>True when the policy changes nothing (a call keeps none in its state then).</summary>
    public bool IsDefault => Headers.IsDefault && Rewrite.IsEmpty && Numbers.Length == 0;

    /// <summary><paramref name="user"/> after the route's number rules (<see cref="NumberRules.Normalise"/>).</summary>
    public string? Normalise(string? user) => NumberRules.Normalise(Numbers, user);

    /// <summary>
    /// What is wrong, each as "Headers:Allow:0: ...", "Rewrite:FromUser: ...", "Numbers:0:Strip: ..." (the configuration's
    /// key names under the route's, <c>CallControl:Routing:Routes:N</c>).
    /// </summary>
    public IReadOnlyList<string> Problems()
        => [
            .. Headers.Problems().Select(p => "Headers:" + p),
            .. Rewrite.Problems().Select(p => "Rewrite:" + p),
            .. NumberRules.Problems(Numbers).Select(p => "Numbers:" + p),
        ];

    /// <summary>The policy as the CLI writes it (<c>--header-deny X-Secret --number-strip 0 --number-add +44 --pai from</c>); empty for the default.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (!Headers.IsDefault)
        {
            parts.Add(Headers.ToString());
        }

        if (Numbers.Length > 0)
        {
            parts.Add($"--number-strip {string.Join(',', Numbers.Select(n => n.Strip))} --number-add {string.Join(',', Numbers.Select(n => n.Add))}");
        }

        Add("--from-user", Rewrite.FromUser);
        Add("--from-display", Rewrite.FromDisplay is { } display ? $"\"{display}\"" : null);
        Add("--to-user", Rewrite.ToUser);
        Add("--pai", Rewrite.PAssertedIdentity);
        Add("--privacy", Rewrite.Privacy);
        return string.Join(' ', parts);

        void Add(string flag, string? value)
        {
            if (value is not null)
            {
                parts.Add($"{flag} {value}");
            }
        }
    }

    /// <summary>Equality by content (records compare lists by reference).</summary>
    public bool Equals(RoutePolicy? other) => other is not null && Headers.Equals(other.Headers) && Rewrite.Equals(other.Rewrite) && Numbers.SequenceEqual(other.Numbers);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Headers, Rewrite, Numbers.Length);
}
