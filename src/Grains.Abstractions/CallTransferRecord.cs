namespace CallControl.Grains;

/// <summary>
/// One transfer the call went through (REFER, RFC 3515; docs/call-flows.md, "Transfers"): a line of the call's one
/// CDR, which stays keyed by the caller leg's Call-ID and so is written exactly once however many transfers there were.
/// Its callee is then the party transferred to; its billable time runs from the first answer to the end.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.cdr-transfer")]
public sealed record CallTransferRecord
{
    /// <summary>When the target answered and the transferor was released.</summary>
    [Id(0)] public required DateTimeOffset At { get; init; }

    /// <summary>Who transferred: <c>caller</c> or <c>callee</c>.</summary>
    [Id(1)] public required string By { get; init; }

    /// <summary>The party released (its leg's Request-URI, or the caller's From URI).</summary>
    [Id(2)] public required string From { get; init; }

    /// <summary>The party transferred to (the answering leg's Request-URI).</summary>
    [Id(3)] public required string To { get; init; }

    /// <summary>An attended transfer (the REFER named a dialog to replace, RFC 3891).</summary>
    [Id(4)] public bool Attended { get; init; }
}
