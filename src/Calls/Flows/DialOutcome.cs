namespace CallControl.Grains.Flows;

/// <summary>Why a dial got no answer.</summary>
public enum DialResult : byte
{
    /// <summary>486 Busy Here or 600 Busy Everywhere.</summary>
    Busy,

    /// <summary>Rang without an answer until the ring timeout, or 408/480.</summary>
    NoAnswer,

    /// <summary>Refused with another final status (4xx–6xx).</summary>
    Rejected,

    /// <summary>Could not be reached, or did not respond (a transport error or timeout: 503 or 408 by RFC 3261 §8.1.3.1).</summary>
    Unreachable,
}

/// <summary>How one target of a dial ended.</summary>
[GenerateSerializer, Immutable, Alias("cc.target-outcome")]
public sealed record TargetOutcome([property: Id(0)] DialTarget Target, [property: Id(1)] DialResult Result, [property: Id(2)] int Status);

/// <summary>
/// A dial that no target answered. <see cref="Result"/> and <see cref="Status"/> summarise it (busy if any target was
/// busy and none refused with 6xx; the best response by RFC 3261 §16.7); <see cref="Targets"/> has each one.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.dial-outcome")]
public sealed record DialOutcome([property: Id(0)] DialResult Result, [property: Id(1)] int Status, [property: Id(2)] IReadOnlyList<TargetOutcome> Targets)
{
    /// <summary>What a status means to a flow.</summary>
    public static DialResult ResultFor(int status, bool noResponse = false) => status switch
    {
        486 or 600 => DialResult.Busy,
        408 when noResponse => DialResult.Unreachable,
        408 or 480 or 487 => DialResult.NoAnswer,
        503 when noResponse => DialResult.Unreachable,
        _ => DialResult.Rejected,
    };
}
