using System.Buffers;
using System.Globalization;
using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Sip.Messages;

/// <summary>
/// Writes a SIP message straight to bytes, header by header: the serializer. Content-Length is written
/// from the body, so it cannot disagree with it.
/// </summary>
public sealed class SipMessageBuilder
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private ReadOnlyMemory<byte> _body;
    private string? _contentType;

    private SipMessageBuilder(int capacity = 512) => _buffer = new(capacity);

    /// <summary>Starts a request: "METHOD Request-URI SIP/2.0".</summary>
    public static SipMessageBuilder Request(string method, string requestUri)
    {
        var builder = new SipMessageBuilder();
        builder.WriteAscii(method).WriteByte((byte)' ').WriteUtf8(requestUri).Write(" SIP/2.0\r\n"u8);
        return builder;
    }

    /// <summary>Starts a request for a known method.</summary>
    public static SipMessageBuilder Request(SipMethod method, string requestUri) => Request(method.Name(), requestUri);

    /// <summary>Starts a response: "SIP/2.0 code reason".</summary>
    public static SipMessageBuilder Response(int statusCode, string? reasonPhrase = null) => Response(statusCode, reasonPhrase, 512);

    /// <summary>Starts a response in a buffer of <paramref name="capacity"/> bytes, for a caller that knows the size.</summary>
    internal static SipMessageBuilder Response(int statusCode, string? reasonPhrase, int capacity)
    {
        var builder = new SipMessageBuilder(capacity);
        builder.Write("SIP/2.0 "u8).WriteNumber(statusCode).WriteByte((byte)' ')
            .WriteUtf8(reasonPhrase ?? SipStatus.DefaultReason(statusCode)).Write("\r\n"u8);
        return builder;
    }

    /// <summary>Adds a known header with a text value.</summary>
    public SipMessageBuilder Add(HeaderId id, string value) => Add(HeaderTable.Get(id)!.NameBytes, value);

    /// <summary>Adds a header by name with a text value.</summary>
    public SipMessageBuilder Add(string name, string value)
    {
        var id = HeaderTable.Lookup(name);
        return id != HeaderId.Unknown ? Add(id, value) : WriteAscii(name).Write(": "u8).WriteUtf8(value).Write("\r\n"u8);
    }

    /// <summary>Adds a known header whose value is already bytes (copied from another message).</summary>
    public SipMessageBuilder AddRaw(HeaderId id, ReadOnlySpan<byte> value)
        => Write(HeaderTable.Get(id)!.NameBytes).Write(": "u8).Write(value).Write("\r\n"u8);

    /// <summary>Adds an integer-valued header.</summary>
    public SipMessageBuilder Add(HeaderId id, long value)
        => Write(HeaderTable.Get(id)!.NameBytes).Write(": "u8).WriteNumber(value).Write("\r\n"u8);

    /// <summary>Adds a known header copied as bytes with a tag parameter appended (a To from a request).</summary>
    internal SipMessageBuilder AddRawWithTag(HeaderId id, ReadOnlySpan<byte> value, string tag)
        => Write(HeaderTable.Get(id)!.NameBytes).Write(": "u8).Write(value).Write(";tag="u8).WriteUtf8(tag).Write("\r\n"u8);

    /// <summary>Copies every line of a header from another message, values byte for byte, in order.</summary>
    public SipMessageBuilder Copy(SipMessage source, HeaderId id)
    {
        for (var i = source.IndexOf(id, 0); i >= 0; i = source.IndexOf(id, i + 1))
        {
            AddRaw(id, source.ValueSpan(source.Field(i)));
        }

        return this;
    }

    /// <summary>
    /// Copies every header line <paramref name="crosses"/> lets through, values byte for byte, in order: a known header
    /// under its canonical name, another under its name as written (a relay under a header policy). Content-Length never.
    /// </summary>
    public SipMessageBuilder CopyWhere(SipMessage source, HeaderFilter crosses)
    {
        ArgumentNullException.ThrowIfNull(crosses);
        for (var i = 0; i < source.HeaderCount; i++)
        {
            var field = source.Field(i);
            var name = field.Id == HeaderId.Unknown ? source.NameSpan(field) : HeaderTable.Get(field.Id)!.NameBytes;
            if (field.Id != HeaderId.ContentLength && crosses(field.Id, name))
            {
                Write(name).Write(": "u8).Write(source.ValueSpan(field)).Write("\r\n"u8);
            }
        }

        return this;
    }

    /// <summary>Copies every header line except those listed, names as written, in order (for relays).</summary>
    public SipMessageBuilder CopyAllExcept(SipMessage source, ReadOnlySpan<HeaderId> excluded)
    {
        for (var i = 0; i < source.HeaderCount; i++)
        {
            var field = source.Field(i);
            if (field.Id == HeaderId.ContentLength || excluded.Contains(field.Id))
            {
                continue;
            }

            Write(field.Id == HeaderId.Unknown ? source.NameSpan(field) : HeaderTable.Get(field.Id)!.NameBytes)
                .Write(": "u8).Write(source.ValueSpan(field)).Write("\r\n"u8);
        }

        return this;
    }

    /// <summary>Sets the body and its Content-Type (null: no Content-Type header).</summary>
    public SipMessageBuilder Body(ReadOnlyMemory<byte> body, string? contentType)
    {
        _body = body;
        _contentType = body.IsEmpty ? null : contentType;
        return this;
    }

    /// <summary>Finishes the message: Content-Type, Content-Length, the blank line and the body.</summary>
    public byte[] ToArray()
    {
        if (_contentType is not null)
        {
            Add(HeaderId.ContentType, _contentType);
        }

        Add(HeaderId.ContentLength, _body.Length);
        Write("\r\n"u8).Write(_body.Span);
        return _buffer.WrittenSpan.ToArray();
    }

    private SipMessageBuilder Add(byte[] name, string value) => Write(name).Write(": "u8).WriteUtf8(value).Write("\r\n"u8);

    private SipMessageBuilder Write(ReadOnlySpan<byte> bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    private SipMessageBuilder WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
        return this;
    }

    // Digits straight into the buffer: no string for a status code or a Content-Length.
    private SipMessageBuilder WriteNumber(long value)
    {
        var span = _buffer.GetSpan(20);
        _ = value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _buffer.Advance(written);
        return this;
    }

    private SipMessageBuilder WriteAscii(string text)
    {
        var span = _buffer.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        _buffer.Advance(written);
        return this;
    }

    private SipMessageBuilder WriteUtf8(string text)
    {
        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(text, span));
        return this;
    }
}

/// <summary>Whether a header line is copied: its id (<see cref="HeaderId.Unknown"/> for a header the stack does not know) and its name as ASCII.</summary>
public delegate bool HeaderFilter(HeaderId id, ReadOnlySpan<byte> name);
