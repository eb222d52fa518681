using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Sip.Parsing;

/// <summary>
/// The checks every message must pass before anything acts on it (RFC 3261 §8.1.1, §8.2.2): the
/// mandatory headers are present once each, and CSeq, Max-Forwards and Call-ID are well formed.
/// </summary>
internal static class MessageValidator
{
    private static readonly HeaderId[] Mandatory = [HeaderId.Via, HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq];

    private static readonly HeaderId[] AtMostOnce =
        [HeaderId.From, HeaderId.To, HeaderId.CallId, HeaderId.CSeq, HeaderId.MaxForwards, HeaderId.ContentLength, HeaderId.ContentType];

    public static bool TryValidate(SipMessage message, out SipParseFailure failure)
    {
        // One pass over the index counts every header and notes its first line, instead of a scan per check.
        Span<byte> counts = stackalloc byte[HeaderTable.IdCount];
        Span<byte> first = stackalloc byte[HeaderTable.IdCount];
        for (var i = message.HeaderCount - 1; i >= 0; i--)
        {
            var id = (int)message.Field(i).Id;
            counts[id] = (byte)Math.Min(counts[id] + 1, 2); // only "none", "one" and "more" matter here
            first[id] = (byte)i; // walking backwards, the last write is the first line (at most 256 lines)
        }

        foreach (var id in Mandatory)
        {
            if (counts[(int)id] == 0)
            {
                failure = new(SipParseError.MissingHeader, id);
                return false;
            }
        }

        foreach (var id in AtMostOnce)
        {
            if (counts[(int)id] > 1)
            {
                failure = new(SipParseError.DuplicateHeader, id);
                return false;
            }
        }

        if (Value(message, first, HeaderId.CallId).IsEmpty)
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.CallId);
            return false;
        }

        if (!CSeqHeader.TryParse(Value(message, first, HeaderId.CSeq), out var cseq))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.CSeq);
            return false;
        }

        if (message.IsRequest && (cseq.Method != message.Method || (cseq.Method == SipMethod.Unknown && cseq.MethodName != message.MethodName)))
        {
            failure = new(SipParseError.CSeqMethodMismatch, HeaderId.CSeq);
            return false;
        }

        message.SetCSeq(cseq);

        if (message.IsRequest && !RequestUriCheck.IsValid(message.RequestUriUtf8))
        {
            failure = new(SipParseError.MalformedRequestUri);
            return false;
        }

        if (counts[(int)HeaderId.Date] > 0 && !IsSipDate(message.GetHeader(HeaderId.Date)!))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.Date);
            return false;
        }

        if (counts[(int)HeaderId.MaxForwards] > 0 && !ByteScan.TryParseInt(Value(message, first, HeaderId.MaxForwards), out _))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.MaxForwards);
            return false;
        }

        failure = default;
        return true;
    }

    // The first line's value; only called for headers the counts show present.
    private static ReadOnlySpan<byte> Value(SipMessage message, ReadOnlySpan<byte> first, HeaderId id)
        => message.ValueSpan(message.Field(first[(int)id]));

    // SIP-date is RFC 1123's date, always in GMT (RFC 3261 §25.1).
    private static bool IsSipDate(string text)
        => DateTime.TryParseExact(text, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);
}
