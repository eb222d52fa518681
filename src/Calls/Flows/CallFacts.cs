namespace CallControl.Grains.Flows;

/// <summary>What a call flow knows of the incoming call. Immutable, and the same after a silo failover.</summary>
/// <param name="CallId">The caller leg's Call-ID (the dialog grain's key).</param>
/// <param name="Caller">The caller's URI (From).</param>
/// <param name="CallerName">The caller's display name, if any.</param>
/// <param name="Dialled">The Request-URI the caller dialled.</param>
/// <param name="DialledUser">Its user part (the number), if any.</param>
/// <param name="Source">Where the INVITE came from.</param>
/// <param name="AssertedIdentity">P-Asserted-Identity (RFC 3325) when a trusted peer set it, else null.</param>
/// <param name="Route">The dial-plan route that chose this flow.</param>
[GenerateSerializer, Immutable, Alias("cc.call-facts")]
public sealed record CallFacts(
    [property: Id(0)] string CallId,
    [property: Id(1)] string Caller,
    [property: Id(2)] string? CallerName,
    [property: Id(3)] string Dialled,
    [property: Id(4)] string? DialledUser,
    [property: Id(5)] SipPeer Source,
    [property: Id(6)] string? AssertedIdentity,
    [property: Id(7)] string Route)
{
    /// <summary>Headers of the INVITE a flow may read (name as sent → first value); routing headers are not among them.</summary>
    [Id(8)] public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The user part of the caller's URI (the calling number), if any.</summary>
    [Id(9)] public string? CallerUser { get; init; }

    /// <summary>A header's first value, or null (names compare case-insensitively).</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}

/// <summary>How the call ended, as its CDR says: what a flow sees in <see cref="ICallFlow.OnEndedAsync"/>.</summary>
/// <param name="Record">The call's CDR, already durable.</param>
/// <param name="AnsweredBy">The target that answered, if any.</param>
[GenerateSerializer, Immutable, Alias("cc.call-end")]
public sealed record CallEnd([property: Id(0)] CallDetailRecord Record, [property: Id(1)] DialTarget? AnsweredBy);
