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
        foreach (var id in Mandatory)
        {
            if (!message.Has(id))
            {
                failure = new(SipParseError.MissingHeader, id);
                return false;
            }
        }

        foreach (var id in AtMostOnce)
        {
            if (message.LineCount(id) > 1)
            {
                failure = new(SipParseError.DuplicateHeader, id);
                return false;
            }
        }

        if (message.RawValue(HeaderId.CallId).IsEmpty)
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.CallId);
            return false;
        }

        if (!CSeqHeader.TryParse(message.RawValue(HeaderId.CSeq), out var cseq))
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

        if (message.IsRequest && !IsRequestUri(message.RequestUri))
        {
            failure = new(SipParseError.MalformedRequestUri);
            return false;
        }

        if (message.Has(HeaderId.Date) && !IsSipDate(message.GetHeader(HeaderId.Date)!))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.Date);
            return false;
        }

        if (message.Has(HeaderId.MaxForwards) && !ByteScan.TryParseInt(message.RawValue(HeaderId.MaxForwards), out _))
        {
            failure = new(SipParseError.MalformedHeaderValue, HeaderId.MaxForwards);
            return false;
        }

        failure = default;
        return true;
    }

    // A Request-URI is a URI, and a SIP one carries no headers (RFC 3261 §19.1.1's table: headers are not
    // allowed in a Request-URI), so "<sip:...>" and "sip:a@b?Route=..." are rejected rather than routed.
    private static bool IsRequestUri(string text)
        => SipUri.TryParse(text, out var uri) && !(uri.IsSip && uri.Headers is not null);

    // SIP-date is RFC 1123's date, always in GMT (RFC 3261 §25.1).
    private static bool IsSipDate(string text)
        => DateTime.TryParseExact(text, "ddd, dd MMM yyyy HH:mm:ss 'GMT'", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _);
}
