namespace CallControl.Calls;

/// <summary>
/// A reliable provisional response (RFC 3262) relayed from a callee leg to the caller under our own RSeq: the
/// caller's PRACK for it goes on to that leg, with the callee's RSeq in its RAck. Persisted with the state.
/// </summary>
[GenerateSerializer, Alias("cc.reliable-provisional")]
public sealed class ReliableProvisional
{
    /// <summary>The RSeq we gave it towards the caller.</summary>
    [Id(0)] public uint CallerRSeq { get; set; }

    /// <summary>The leg it came from.</summary>
    [Id(1)] public int Leg { get; set; }

    /// <summary>The callee's RSeq.</summary>
    [Id(2)] public uint CalleeRSeq { get; set; }

    /// <summary>Its To (the early dialog it belongs to, with the callee's tag).</summary>
    [Id(3)] public string To { get; set; } = "";
}
