using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Edge.Routing;

/// <summary>
/// The checks a UAS makes of a new request before acting on it (RFC 3261 §8.2.1–§8.2.3): URI scheme,
/// required extensions, body type and acceptable answers. One place, so every request meets the same rules.
/// </summary>
internal static class RequestScreening
{
    /// <summary>The extensions this node implements: 100rel (RFC 3262, relayed end to end across the legs).</summary>
    public const string Supported = "100rel";

    private static readonly string[] Implemented = [Supported];

    /// <summary>A rejection: the status and the headers RFC 3261 says go with it.</summary>
    public sealed record Rejection(int Status, params (HeaderId Id, string Value)[] Headers);

    /// <summary>Why the request must be refused, or null when it may go on.</summary>
    public static Rejection? Check(SipMessage request)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel)
        {
            return null; // never refused for these reasons (RFC 3261 §8.2.2.3)
        }

        if (!SipUri.TryParse(request.RequestUri, out var uri) || !(uri.IsSip || uri.Scheme == "tel"))
        {
            return new Rejection(416); // §8.2.2.1
        }

        var unsupported = request.GetHeaders(HeaderId.Require)
            .SelectMany(value => value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(tag => !Implemented.Contains(tag, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unsupported.Count > 0)
        {
            return new Rejection(420, (HeaderId.Unsupported, string.Join(", ", unsupported))); // §8.2.2.3
        }

        if (request.Method == SipMethod.Invite)
        {
            if (request.HasBody && !IsSdp(request.ContentType))
            {
                return new Rejection(415, (HeaderId.Accept, "application/sdp")); // §8.2.3
            }

            var accepted = request.GetHeaders(HeaderId.Accept);
            if (accepted.Count > 0 && !accepted.Any(AcceptsSdp))
            {
                return new Rejection(406, (HeaderId.Warning, "399 callcontrol \"answers are application/sdp\"")); // §21.4.7
            }

            if (request.MaxForwards == 0)
            {
                return new Rejection(483); // the callee leg would forward it: §16.3 step 2
            }
        }

        if (request.Method == SipMethod.Register && !request.To.Uri.IsSip)
        {
            return new Rejection(400); // the address of record must be a SIP or SIPS URI (§10.3 step 5)
        }

        return null;
    }

    private static bool IsSdp(string? contentType)
        => contentType is not null && MediaType(contentType).Equals("application/sdp", StringComparison.OrdinalIgnoreCase);

    private static bool AcceptsSdp(string accept)
        => MediaType(accept) is var type && (type.Equals("application/sdp", StringComparison.OrdinalIgnoreCase) || type is "*/*" || type.Equals("application/*", StringComparison.OrdinalIgnoreCase));

    private static string MediaType(string value)
    {
        var semicolon = value.IndexOf(';', StringComparison.Ordinal);
        return (semicolon >= 0 ? value[..semicolon] : value).Trim();
    }
}
