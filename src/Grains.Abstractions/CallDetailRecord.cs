using System.Text.Json.Serialization;

namespace CallControl.Grains;

/// <summary>How a call ended, for billing (ARCHITECTURE.md, CDRs).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallDisposition>))]
public enum CallDisposition : byte
{
    [JsonStringEnumMemberName("answered")] Answered,
    [JsonStringEnumMemberName("busy")] Busy,
    [JsonStringEnumMemberName("noAnswer")] NoAnswer,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>Answered, and ended by its session timer (RFC 4028): a side stopped refreshing, or did not answer a refresh.</summary>
    [JsonStringEnumMemberName("session-expired")] SessionExpired,
}

/// <summary>Which side ended the call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HangupParty>))]
public enum HangupParty : byte
{
    /// <summary>Not answered: nobody hung up.</summary>
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("caller")] Caller,
    [JsonStringEnumMemberName("callee")] Callee,

    /// <summary>CallControl itself (a timer, a failure, an operator).</summary>
    [JsonStringEnumMemberName("system")] System,
}

/// <summary>One call's detail record, written exactly once when the call ends.</summary>
[GenerateSerializer, Immutable, Alias("cc.cdr")]
public sealed record CallDetailRecord
{
    /// <summary>The caller leg's Call-ID: the call's identity, unique per call.</summary>
    [Id(0)] public required string CallId { get; init; }

    /// <summary>The caller's address (From URI).</summary>
    [Id(1)] public required string Caller { get; init; }

    /// <summary>The callee as dialled (the caller's Request-URI).</summary>
    [Id(2)] public required string CalleeDialled { get; init; }

    /// <summary>The callee as routed (the callee leg's Request-URI); null when the call was never routed.</summary>
    [Id(3)] public string? CalleeRouted { get; init; }

    /// <summary>When the INVITE arrived.</summary>
    [Id(4)] public required DateTimeOffset InviteTime { get; init; }

    /// <summary>When the callee answered; null when it did not.</summary>
    [Id(5)] public DateTimeOffset? AnswerTime { get; init; }

    /// <summary>When the call ended.</summary>
    [Id(6)] public required DateTimeOffset EndTime { get; init; }

    /// <summary>Whole seconds from answer to end, rounded up (an answered call bills at least 1 s); 0 unanswered.</summary>
    [Id(7)] public required long BillableSeconds { get; init; }

    /// <summary>How the call ended.</summary>
    [Id(8)] public required CallDisposition Disposition { get; init; }

    /// <summary>The final status of the INVITE as the caller saw it (200 when answered).</summary>
    [Id(9)] public required int FinalStatus { get; init; }

    /// <summary>Who hung up.</summary>
    [Id(10)] public required HangupParty HungUpBy { get; init; }

    /// <summary>The route or trunk the call took, when one was chosen.</summary>
    [Id(11)] public string? Route { get; init; }

    /// <summary>The edge that received the INVITE.</summary>
    [Id(12)] public required string Edge { get; init; }

    /// <summary>The silo that held the call when it ended.</summary>
    [Id(13)] public required string Silo { get; init; }

    /// <summary>The call's media counts and quality, when its media was anchored (docs/media.md); absent otherwise.</summary>
    [Id(14), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CallMediaRecord? Media { get; init; }

    /// <summary>The transfers the call went through, in order (docs/call-flows.md, "Transfers"); absent when there were none.</summary>
    [Id(15), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<CallTransferRecord>? Transfers { get; init; }
}
