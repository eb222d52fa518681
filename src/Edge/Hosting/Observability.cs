using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OpenTelemetry.Resources;

namespace CallControl.Edge.Hosting;

/// <summary>Something that must hold for the process to take traffic (/readyz).</summary>
public interface IReadinessCheck
{
    /// <summary>Null when ready, else why not.</summary>
    string? NotReadyBecause();
}

/// <summary>
/// Every process's HTTP port (<c>CallControl:Http:Port</c>, default 8080, on <c>CallControl:Http:ListenAddress</c>,
/// default 127.0.0.1): /healthz (the process runs), /readyz (every readiness check holds) and /metrics (Prometheus
/// scrape of the CallControl and Orleans meters, through OpenTelemetry).
/// </summary>
public static class Observability
{
    /// <summary>The meters every process exports.</summary>
    public static readonly string[] Meters = ["CallControl.Calls", "CallControl.Sip", "CallControl.Cluster", "CallControl.Storage", "CallControl.Security", "CallControl.Media", "Microsoft.Orleans"];

    /// <summary>Adds OpenTelemetry metrics with the Prometheus exporter, and binds the HTTP listener.</summary>
    public static void AddCallControlObservability(this WebApplicationBuilder builder, string serviceName)
    {
        var address = builder.Configuration["CallControl:Http:ListenAddress"] ?? "127.0.0.1";
        var port = builder.Configuration["CallControl:Http:Port"] ?? "8080";
        if (!System.Net.IPAddress.TryParse(address, out _) || !int.TryParse(port, System.Globalization.CultureInfo.InvariantCulture, out var number) || number is < 0 or > 65535)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("CallControl:Http", typeof(string), [$"CallControl:Http:ListenAddress/Port: '{address}:{port}' is not an IP address and port."]);
        }

        builder.WebHost.UseUrls($"http://{address}:{number}");
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());

        // Traces only when something takes them: sampling every call costs CPU at carrier rates.
        var otlp = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var traceFile = builder.Configuration[TraceFileKey];
        if (!string.IsNullOrEmpty(otlp) || !string.IsNullOrEmpty(traceFile))
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(TraceSources);
                if (!string.IsNullOrEmpty(otlp))
                {
                    tracing.AddOtlpExporter();
                }

                if (!string.IsNullOrEmpty(traceFile))
                {
                    var path = traceFile.Replace("{pid}", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
                    tracing.AddProcessor(new BatchActivityExportProcessor(new JsonLinesSpanExporter(path), scheduledDelayMilliseconds: 200));
                }
            });
        }
    }

    /// <summary>
    /// <c>CallControl:Telemetry:TraceFile</c>: a file to append finished spans to as JSON lines (for a node without a
    /// collector, and for tests); <c>{pid}</c> in it becomes the process id, so processes sharing a setting write files
    /// of their own. Traces go to OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public const string TraceFileKey = "CallControl:Telemetry:TraceFile";

    /// <summary>
    /// The spans a call's trace is made of: the edge's (one per SIP message), Orleans' grain calls (propagated from
    /// the edge's client into the silo), and Npgsql's commands (the grain's state and CDR writes).
    /// </summary>
    public static readonly string[] TraceSources = ["CallControl.Edge", "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Npgsql"];

    /// <summary>Maps /healthz, /readyz and /metrics.</summary>
    public static void MapCallControlEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", (IEnumerable<IReadinessCheck> checks) =>
        {
            var reasons = checks.Select(c => c.NotReadyBecause()).OfType<string>().ToList();
            return reasons.Count == 0 ? Results.Text("ready\n") : Results.Text(string.Join('\n', reasons) + "\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
