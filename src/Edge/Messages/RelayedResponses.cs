using CallControl.Edge.Routing;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Edge.Messages;

/// <summary>
/// The response the sender of a relayed MESSAGE or OPTIONS gets: the target's status, reason, body and describing
/// headers, on the sender's own transaction (its Via, From, To, Call-ID, CSeq) with our To tag, so nothing of the
/// target's transaction or dialog identifiers crosses back (topology hiding). No answer: 408, or 503 when the target
/// could not be reached (RFC 3261 §8.1.3.1).
/// </summary>
internal static class RelayedResponses
{
    // What the target may tell the sender: what it accepts and allows, when to retry, why; not its Contact, Server or
    // challenges (a 401/407 is for our request, not the sender's: it goes back without them, as a call's does).
    private static readonly HeaderId[] Relayed =
        [HeaderId.Allow, HeaderId.Accept, HeaderId.AcceptEncoding, HeaderId.AcceptLanguage, HeaderId.Supported, HeaderId.RetryAfter, HeaderId.Warning, HeaderId.Date];

    /// <summary>The response to <paramref name="request"/> that relays <paramref name="answer"/>.</summary>
    public static byte[] For(SipMessage request, RelayedAnswer answer)
    {
        if (answer.Response is not { } bytes || !SipParser.TryParse(bytes, isStream: true, out var response, out _))
        {
            return EdgeResponses.For(request, answer.Status, answer.Status == 408 ? "Request Timeout" : null);
        }

        var builder = SipResponses.Create(request, response.StatusCode, response.ReasonPhrase, request.To.Tag is null ? EdgeResponses.EdgeTag : null);
        foreach (var id in Relayed)
        {
            builder.Copy(response, id);
        }

        return builder.Body(response.Body, response.ContentType).ToArray();
    }
}
