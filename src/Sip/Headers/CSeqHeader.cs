using System.Text;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Headers;

/// <summary>CSeq: a 32-bit sequence number and the method it numbers (RFC 3261 §20.16).</summary>
public readonly record struct CSeqHeader(uint Number, SipMethod Method, string MethodName)
{
    /// <summary>Parses "number SP method" (LWS allowed between).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out CSeqHeader cseq)
    {
        cseq = default;
        value = ByteScan.Trim(value);
        var space = value.IndexOfAny((byte)' ', (byte)'\t');
        if (space <= 0 || !ByteScan.TryParseUInt(value[..space], out var number))
        {
            return false;
        }

        var method = ByteScan.Trim(value[(space + 1)..]);
        if (method.IsEmpty || method.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            return false;
        }

        var known = SipMethods.Parse(method);
        cseq = new CSeqHeader(number, known, known != SipMethod.Unknown ? known.Name() : Encoding.ASCII.GetString(method));
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Number} {MethodName}";
}
