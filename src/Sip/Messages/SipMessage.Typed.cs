using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Messages;

// Typed views of the common headers, each parsed on first access and then cached.
public sealed partial class SipMessage
{
    private CSeqHeader _cseq;
    private string? _callId;
    private NameAddress? _from, _to;
    private List<ViaHeader>? _vias;

    /// <summary>CSeq, checked by the parser.</summary>
    public CSeqHeader CSeq => _cseq;

    /// <summary>Call-ID, checked present by the parser.</summary>
    public string CallId => _callId ??= Encoding.UTF8.GetString(RawValue(HeaderId.CallId));

    /// <summary>From, or throws <see cref="SipFormatException"/> when it does not parse.</summary>
    public NameAddress From => _from ??= ParseAddress(HeaderId.From);

    /// <summary>To, or throws <see cref="SipFormatException"/> when it does not parse.</summary>
    public NameAddress To => _to ??= ParseAddress(HeaderId.To);

    /// <summary>Every Via value, topmost first; throws <see cref="SipFormatException"/> on a malformed one.</summary>
    public IReadOnlyList<ViaHeader> Vias => _vias ??= ParseVias();

    /// <summary>The topmost Via (the parser guarantees there is one).</summary>
    public ViaHeader TopVia => Vias[0];

    /// <summary>Max-Forwards, or null when absent.</summary>
    public int? MaxForwards => ByteScan.TryParseInt(RawValue(HeaderId.MaxForwards), out var value) ? value : null;

    /// <summary>Content-Type, or null.</summary>
    public string? ContentType => GetHeader(HeaderId.ContentType);

    /// <summary>True when the message has a non-empty body.</summary>
    public bool HasBody => Body.Length > 0;

    /// <summary>Parses every value of a name-addr header (Contact, Route, Record-Route, ...), in order.</summary>
    public List<NameAddress> Addresses(HeaderId id)
    {
        var result = new List<NameAddress>();
        foreach (var value in Values(id))
        {
            if (!NameAddress.TryParse(value.Span, out var address))
            {
                throw new SipFormatException(new SipParseFailure(SipParseError.MalformedHeaderValue, id));
            }

            result.Add(address);
        }

        return result;
    }

    /// <summary>
    /// Parses the headers a transaction or dialog depends on (From, To, Via, Contact, Route, Record-Route) so that a malformed one is
    /// found before anything acts on the message.
    /// </summary>
    public bool TryParseDialogHeaders(out SipParseFailure failure)
    {
        try
        {
            _ = From;
            _ = To;
            _ = Vias;
            _ = Addresses(HeaderId.Contact);
            _ = Addresses(HeaderId.RecordRoute);
            _ = Addresses(HeaderId.Route);
            failure = default;
            return true;
        }
        catch (SipFormatException e)
        {
            failure = e.Failure;
            return false;
        }
    }

    internal void SetCSeq(CSeqHeader cseq) => _cseq = cseq;

    private NameAddress ParseAddress(HeaderId id)
        => NameAddress.TryParse(RawValue(id), out var address)
            ? address
            : throw new SipFormatException(new SipParseFailure(SipParseError.MalformedHeaderValue, id));

    private List<ViaHeader> ParseVias()
    {
        var vias = new List<ViaHeader>(2);
        foreach (var value in Values(HeaderId.Via))
        {
            if (!ViaHeader.TryParse(value.Span, out var via))
            {
                throw new SipFormatException(new SipParseFailure(SipParseError.MalformedHeaderValue, HeaderId.Via));
            }

            vias.Add(via);
        }

        return vias.Count > 0 ? vias : throw new SipFormatException(new SipParseFailure(SipParseError.MissingHeader, HeaderId.Via));
    }
}
