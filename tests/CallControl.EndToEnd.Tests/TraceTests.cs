using System.Text.Json;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A call's trace on the real cluster runs edge → grain → PostgreSQL: the edge's span for the INVITE is the parent
/// of Orleans' grain-call span in a silo, under which Npgsql's spans for the call's writes hang (all processes export
/// to files of their own: CallControl:Telemetry:TraceFile).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TraceTests(ClusterFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-trace-").FullName;

    [Fact]
    public async Task An_invite_has_one_trace_from_the_edge_through_the_grain_to_postgresql()
    {
        await using var callee = await Sipp.StartCalleeAsync("uas", "udp", fixture.CalleePort, 1, _work);
        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, 1, rate: 1, "traced-", _work);
        Assert.True(exit == 0, output);

        // Spans are exported in batches every 200 ms: read until the trace is complete (bounded), there is no event to await.
        List<Span> trace = [];
        for (var attempt = 0; attempt < 100 && !IsComplete(trace); attempt++)
        {
            await Task.Delay(100);
            trace = TraceOfInvite();
        }

        Assert.True(IsComplete(trace), "spans: " + string.Join("\n", trace.Select(s => $"{s.File} {s.Source} {s.Name} {s.SpanId} <- {s.ParentId}")));
        var invite = trace.Single(s => s.Source == "CallControl.Edge" && s.Name == "SIP INVITE");
        var dialogCall = DialogGrainCall(trace)!;
        Assert.NotEqual(invite.File, dialogCall.File);
        Assert.True(Ancestors(trace, dialogCall).Contains(invite.SpanId), "the dialog grain's call descends from the edge's INVITE span");
        Assert.Contains(trace, s => s.Source == "Npgsql" && s.File == dialogCall.File && Ancestors(trace, s).Contains(dialogCall.SpanId));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // The dialog grain may call other grains (the registrar) on other silos, so the grain span that matters is the
    // dialog grain's own, server side: the one in a silo's file, not the edge's client-side span.
    private static Span? DialogGrainCall(List<Span> trace)
    {
        var edgeFiles = trace.Where(s => s.Source == "CallControl.Edge").Select(s => s.File).ToHashSet();
        return trace.Find(s => s.Name.StartsWith("IDialogGrain/", StringComparison.Ordinal)
                               && s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                               && !edgeFiles.Contains(s.File));
    }

    private static bool IsComplete(List<Span> trace)
        => trace.Exists(s => s.Source == "CallControl.Edge" && s.Name == "SIP INVITE")
           && DialogGrainCall(trace) is { } dialogCall
           && trace.Exists(s => s.Source == "Npgsql" && s.File == dialogCall.File);

    private static HashSet<string> Ancestors(List<Span> trace, Span span)
    {
        var ancestors = new HashSet<string>();
        for (var current = span; current.ParentId is { } parent && ancestors.Add(parent);)
        {
            var next = trace.Find(s => s.SpanId == parent);
            if (next is null)
            {
                break;
            }

            current = next;
        }

        return ancestors;
    }

    /// <summary>Every span of the trace whose edge span is the INVITE of a "traced-" call.</summary>
    private List<Span> TraceOfInvite()
    {
        var spans = Directory.GetFiles(fixture.TraceDirectory, "*.jsonl").SelectMany(ReadSpans).ToList();
        var invite = spans.Find(s => s.Name == "SIP INVITE" && s.CallId?.StartsWith("traced-", StringComparison.Ordinal) == true);
        return invite is null ? [] : spans.FindAll(s => s.TraceId == invite.TraceId);
    }

    private static IEnumerable<Span> ReadSpans(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var spans = new List<Span>();
        while (reader.ReadLine() is { } line)
        {
            if (!line.EndsWith('}'))
            {
                continue; // a line still being written
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var tags = root.GetProperty("tags");
            spans.Add(new Span(
                Path.GetFileName(file),
                root.GetProperty("traceId").GetString()!,
                root.GetProperty("spanId").GetString()!,
                root.GetProperty("parentId").GetString(),
                root.GetProperty("name").GetString()!,
                root.GetProperty("source").GetString()!,
                tags.TryGetProperty("sip.call_id", out var callId) ? callId.GetString() : null));
        }

        return spans;
    }

    private sealed record Span(string File, string TraceId, string SpanId, string? ParentId, string Name, string Source, string? CallId);
}
