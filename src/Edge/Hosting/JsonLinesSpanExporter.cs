using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace CallControl.Edge.Hosting;

/// <summary>
/// Appends finished spans to a file, one JSON object per line (trace id, span id, parent, name, source, kind,
/// start, duration, status, tags): traces for a node without a collector, readable with jq. Batched by the
/// OpenTelemetry processor; the file is opened once and shared for appending.
/// </summary>
internal sealed class JsonLinesSpanExporter : BaseExporter<Activity>
{
    private readonly StreamWriter _writer;

    public JsonLinesSpanExporter(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = false };
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var activity in batch)
        {
            var tags = new Dictionary<string, string?>();
            foreach (var (key, value) in activity.TagObjects)
            {
                tags[key] = value?.ToString();
            }

            _writer.WriteLine(JsonSerializer.Serialize(new SpanLine(
                activity.TraceId.ToHexString(),
                activity.SpanId.ToHexString(),
                activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
                activity.DisplayName,
                activity.Source.Name,
                activity.Kind.ToString(),
                activity.StartTimeUtc,
                activity.Duration.TotalMilliseconds,
                activity.Status.ToString(),
                tags), SpanLineJson.Default.SpanLine));
        }

        _writer.Flush();
        return ExportResult.Success;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>One span as a line of the trace file.</summary>
internal sealed record SpanLine(string TraceId, string SpanId, string? ParentId, string Name, string Source, string Kind, DateTime Start, double DurationMs, string Status, Dictionary<string, string?> Tags);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SpanLine))]
internal sealed partial class SpanLineJson : System.Text.Json.Serialization.JsonSerializerContext;
