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
        var builder = SipMessageBuilder.Response(statusCode, reasonPhrase, EstimateSize(request, toTag))
            .Copy(request, HeaderId.Via)
            .Copy(request, HeaderId.From);
        var to = request.RawValue(HeaderId.To);
        if (toTag is not null && statusCode > 100 && !HasTag(to))
        {
            // Valid UTF-8 is copied as it is; anything else goes through text, as it always has (U+FFFD for bad bytes).
            if (System.Text.Unicode.Utf8.IsValid(to))
            {
                builder.AddRawWithTag(HeaderId.To, to, toTag);
            }
            else
            {
                builder.Add(HeaderId.To, $"{System.Text.Encoding.UTF8.GetString(to)};tag={toTag}");
            }
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

    // One buffer for the whole response: the copied header lines, the tag, and room for a status line,
    // Content-Length and a few headers the caller adds (a Contact, a Server).
    private static int EstimateSize(SipMessage request, string? toTag)
    {
        var size = 256 + (toTag?.Length ?? 0);
        for (var i = 0; i < request.HeaderCount; i++)
        {
            var field = request.Field(i);
            if (field.Id is HeaderId.Via or HeaderId.From or HeaderId.To or HeaderId.CallId or HeaderId.CSeq)
            {
                size += field.ValueLength + 24; // the longest of these names, ": " and CRLF
            }
        }

        return size;
    }

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
