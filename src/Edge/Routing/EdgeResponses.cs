using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Routing;

/// <summary>
/// The responses the edge gives on its own, without a grain (screening, draining, overload, a grain out of reach).
/// A request outside a dialog gets the edge's To tag, so its ACK (if it is an INVITE's) is known for the edge's own.
/// </summary>
internal static class EdgeResponses
{
    /// <summary>The To tag of responses the edge gives on its own: stable per process, so retransmitted answers agree.</summary>
    public static readonly string EdgeTag = System.Security.Cryptography.RandomNumberGenerator.GetHexString(16, lowercase: true);

    /// <summary>A response to <paramref name="request"/> with the status's own reason phrase.</summary>
    public static byte[] For(SipMessage request, int status, params (HeaderId Id, string Value)[] headers)
        => For(request, status, reason: null, headers);

    /// <summary>A response to <paramref name="request"/>; <paramref name="reason"/> null takes the status's own phrase.</summary>
    public static byte[] For(SipMessage request, int status, string? reason, params (HeaderId Id, string Value)[] headers)
    {
        var builder = SipResponses.Create(request, status, reason, toTag: request.To.Tag is null ? EdgeTag : null);
        foreach (var (id, value) in headers)
        {
            builder.Add(id, value);
        }

        return builder.ToArray();
    }
}
