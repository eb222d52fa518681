using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallControl.Grains.Cdr;

/// <summary>The CDR's JSON form (one object per line in the JSON-lines log): camelCase names, enums as camelCase words.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CallDetailRecord))]
[JsonSerializable(typeof(CallMediaRecord))]
[JsonSerializable(typeof(IReadOnlyList<CallTransferRecord>))]
public sealed partial class CdrJson : JsonSerializerContext
{
    /// <summary>Serialises a record to one line of UTF-8 JSON (no newline).</summary>
    public static byte[] ToUtf8(CallDetailRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, Default.CallDetailRecord);

    /// <summary>Reads a record back from one line.</summary>
    public static CallDetailRecord? FromUtf8(ReadOnlySpan<byte> line) => JsonSerializer.Deserialize(line, Default.CallDetailRecord);

    /// <summary>The media object alone, as the JSON-lines log writes it (PostgreSQL's <c>cdr.media</c> jsonb column).</summary>
    public static string MediaToText(CallMediaRecord media) => JsonSerializer.Serialize(media, Default.CallMediaRecord);

    /// <summary>Reads the media object back.</summary>
    public static CallMediaRecord? MediaFromText(string json) => JsonSerializer.Deserialize(json, Default.CallMediaRecord);

    /// <summary>The transfers array alone, as the JSON-lines log writes it (PostgreSQL's <c>cdr.transfers</c> jsonb column).</summary>
    public static string TransfersToText(IReadOnlyList<CallTransferRecord> transfers) => JsonSerializer.Serialize(transfers, Default.IReadOnlyListCallTransferRecord);

    /// <summary>Reads the transfers array back.</summary>
    public static IReadOnlyList<CallTransferRecord>? TransfersFromText(string json) => JsonSerializer.Deserialize(json, Default.IReadOnlyListCallTransferRecord);
}
