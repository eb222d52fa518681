using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Messages;

/// <summary>
/// A parsed SIP request or response: the bytes it came in, an index of its header lines, and typed views
/// that are parsed on first access (so a message can be routed without parsing what nobody reads).
/// </summary>
/// <remarks>Not thread-safe: a message belongs to the one receive path or grain turn that handles it.</remarks>
public sealed partial class SipMessage
{
    private readonly ReadOnlyMemory<byte> _buffer;
    private readonly HeaderField[] _headers;
    private readonly int _headerCount;
    private readonly ushort _startLinePart1;   // request: method end; response: status code start
    private readonly ushort _uriStart, _uriLength; // request: Request-URI; response: reason phrase
    private readonly int _bodyStart, _bodyLength;

    internal SipMessage(
        ReadOnlyMemory<byte> buffer, bool isRequest, SipMethod method, int statusCode,
        ushort startLinePart1, ushort uriStart, ushort uriLength,
        HeaderField[] headers, int headerCount, int bodyStart, int bodyLength)
    {
        _buffer = buffer;
        IsRequest = isRequest;
        Method = method;
        StatusCode = statusCode;
        _startLinePart1 = startLinePart1;
        _uriStart = uriStart;
        _uriLength = uriLength;
        _headers = headers;
        _headerCount = headerCount;
        _bodyStart = bodyStart;
        _bodyLength = bodyLength;
    }

    /// <summary>The message as received (with folded lines blanked to spaces, offsets unchanged).</summary>
    public ReadOnlyMemory<byte> Buffer => _buffer;

    /// <summary>True for a request, false for a response.</summary>
    public bool IsRequest { get; }

    /// <summary>The request method (for a response: <see cref="SipMethod.Unknown"/>; see <see cref="CSeq"/>).</summary>
    public SipMethod Method { get; }

    /// <summary>The status code of a response; 0 for a request.</summary>
    public int StatusCode { get; }

    /// <summary>The method token as it appeared, for requests (useful when <see cref="Method"/> is Unknown).</summary>
    public string MethodName => IsRequest ? Method != SipMethod.Unknown ? Method.Name() : Encoding.ASCII.GetString(MethodToken) : "";

    // The method token ends at _startLinePart1 and starts after any CRLFs that preceded the start line (§7.5).
    private ReadOnlySpan<byte> MethodToken
    {
        get
        {
            var head = _buffer.Span[.._startLinePart1];
            return head[(head.LastIndexOfAny((byte)'\r', (byte)'\n') + 1)..];
        }
    }

    /// <summary>The Request-URI as text, for requests.</summary>
    public string RequestUri => IsRequest ? Encoding.UTF8.GetString(_buffer.Span.Slice(_uriStart, _uriLength)) : "";

    /// <summary>The Request-URI bytes, for requests.</summary>
    public ReadOnlySpan<byte> RequestUriUtf8 => IsRequest ? _buffer.Span.Slice(_uriStart, _uriLength) : default;

    /// <summary>The reason phrase of a response.</summary>
    public string ReasonPhrase => IsRequest ? "" : Encoding.UTF8.GetString(_buffer.Span.Slice(_uriStart, _uriLength));

    /// <summary>The body bytes (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Body => _buffer.Slice(_bodyStart, _bodyLength);

    /// <summary>How many header lines the message has.</summary>
    public int HeaderCount => _headerCount;

    /// <summary>True when the message has at least one line of the header.</summary>
    public bool Has(HeaderId id) => IndexOf(id, 0) >= 0;

    /// <summary>The first value of a known header as raw bytes (for a list header, the whole first line).</summary>
    public ReadOnlySpan<byte> RawValue(HeaderId id)
    {
        var index = IndexOf(id, 0);
        return index < 0 ? default : ValueSpan(_headers[index]);
    }

    /// <summary>The first value of a known header as text, or null when absent.</summary>
    public string? GetHeader(HeaderId id)
    {
        foreach (var value in Values(id))
        {
            return Encoding.UTF8.GetString(value.Span);
        }

        return null;
    }

    /// <summary>The first value of a header by name (known or not), case-insensitive, or null.</summary>
    public string? GetHeader(string name)
    {
        var id = HeaderTable.Lookup(name);
        if (id != HeaderId.Unknown)
        {
            return GetHeader(id);
        }

        Span<byte> wanted = stackalloc byte[Encoding.UTF8.GetMaxByteCount(name.Length)];
        wanted = wanted[..Encoding.UTF8.GetBytes(name, wanted)];
        for (var i = 0; i < _headerCount; i++)
        {
            var field = _headers[i];
            if (field.Id == HeaderId.Unknown && Ascii.EqualsIgnoreCase(NameSpan(field), wanted))
            {
                return Encoding.UTF8.GetString(ValueSpan(field));
            }
        }

        return null;
    }

    /// <summary>Every value of a known header, in order; list headers are split at top-level commas.</summary>
    public HeaderValues Values(HeaderId id) => new(this, id);

    /// <summary>Every value of a known header as text.</summary>
    public List<string> GetHeaders(HeaderId id)
    {
        var result = new List<string>();
        foreach (var value in Values(id))
        {
            result.Add(Encoding.UTF8.GetString(value.Span));
        }

        return result;
    }

    /// <summary>Every header line as (name as written, value), in order: what a relay or a dump needs.</summary>
    public IEnumerable<(string Name, string Value)> HeaderLines()
    {
        for (var i = 0; i < _headerCount; i++)
        {
            var field = _headers[i];
            yield return (Encoding.ASCII.GetString(NameSpan(field)), Encoding.UTF8.GetString(ValueSpan(field)));
        }
    }

    /// <summary>How many header lines carry this header.</summary>
    public int LineCount(HeaderId id)
    {
        var count = 0;
        for (var i = 0; i < _headerCount; i++)
        {
            if (_headers[i].Id == id)
            {
                count++;
            }
        }

        return count;
    }

    internal int IndexOf(HeaderId id, int from)
    {
        for (var i = from; i < _headerCount; i++)
        {
            if (_headers[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    internal HeaderField Field(int index) => _headers[index];

    internal ReadOnlyMemory<byte> ValueMemory(HeaderField field) => _buffer.Slice(field.ValueStart, field.ValueLength);

    internal ReadOnlySpan<byte> ValueSpan(HeaderField field) => _buffer.Span.Slice(field.ValueStart, field.ValueLength);

    internal ReadOnlySpan<byte> NameSpan(HeaderField field) => _buffer.Span.Slice(field.NameStart, field.NameLength);

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(_buffer.Span);
}
