using System.Diagnostics;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Routing;

/// <summary>
/// The edge's spans: one per SIP message handed to a grain. Orleans' activity propagation carries the trace into
/// the grain call, and Npgsql's spans for the grain's writes hang under it, so a call's trace runs edge → grain →
/// PostgreSQL. Without a listener (no exporter configured) nothing is created.
/// </summary>
internal static class EdgeTelemetry
{
    /// <summary>The ActivitySource name, as exporters subscribe to it.</summary>
    public const string SourceName = "CallControl.Edge";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for <paramref name="message"/> on its way to grain <paramref name="key"/>, or null when nobody listens.</summary>
    public static Activity? Start(SipMessage message, string key)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = message.IsRequest
            ? Source.StartActivity("SIP " + message.MethodName, ActivityKind.Server)
            : Source.StartActivity("SIP response", ActivityKind.Consumer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("sip.call_id", key);
            activity.SetTag("sip.cseq", message.CSeq.Number);
            if (message.IsRequest)
            {
                activity.SetTag("sip.method", message.MethodName);
            }
            else
            {
                activity.SetTag("sip.status_code", message.StatusCode);
                activity.SetTag("sip.method", message.CSeq.MethodName);
            }
        }

        return activity;
    }
}
