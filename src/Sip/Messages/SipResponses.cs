using CallControl.Sip.Headers;

namespace CallControl.Sip.Messages;

/// <summary>Builds responses to a request as RFC 3261 §8.2.6.2 says: the same Via, From, To, Call-ID and CSeq.</summary>
public static class SipResponses
{
    /// <summary>
    /// Starts a response to <paramref name="request"/>. When <paramref name="toTag"/> is given and the
    /// request's To has no tag, the tag is added (a UAS's tag for the dialog, or the stack's for a stateless reply).
    /// </summary>
    public static SipMessageBuilder Create(SipMessage request, int statusCode, string? reasonPhrase = null, string? toTag = null)
    {
        var builder = SipMessageBuilder.Response(statusCode, reasonPhrase)
            .Copy(request, HeaderId.Via)
            .Copy(request, HeaderId.From);
        var to = request.RawValue(HeaderId.To);
        if (toTag is not null && statusCode > 100 && !HasTag(to))
        {
            builder.Add(HeaderId.To, $"{System.Text.Encoding.UTF8.GetString(to)};tag={toTag}");
        }
        else
        {
            builder.AddRaw(HeaderId.To, to);
        }

        return builder.Copy(request, HeaderId.CallId).Copy(request, HeaderId.CSeq);
    }

    /// <summary>A complete response with no body and no further headers.</summary>
    public static byte[] Simple(SipMessage request, int statusCode, string? reasonPhrase = null, string? toTag = null)
        => Create(request, statusCode, reasonPhrase, toTag).ToArray();

    private static bool HasTag(ReadOnlySpan<byte> to)
    {
        // ";tag=" after the closing '>' (or anywhere in an addr-spec form), case-insensitive.
        var close = to.LastIndexOf((byte)'>');
        var parameters = close >= 0 ? to[close..] : to;
        for (var i = parameters.IndexOf((byte)';'); i >= 0 && i < parameters.Length; i++)
        {
            if (parameters[i] == ';' && System.Text.Ascii.EqualsIgnoreCase(ByteTrimStart(parameters[(i + 1)..]).TrimStartToLength(4), "tag="u8))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> ByteTrimStart(ReadOnlySpan<byte> span) => span.TrimStart(" \t"u8);

    private static ReadOnlySpan<byte> TrimStartToLength(this ReadOnlySpan<byte> span, int length) => span.Length >= length ? span[..length] : span;
}
