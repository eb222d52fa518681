using System.Buffers;

namespace CallControl.Sip.Parsing;

/// <summary>
/// Where RFC 3261's grammar (§25.1) lets a control character stand in a start line or header line: HTAB as
/// white space anywhere, and any octet but CR and LF as the escaped octet of a quoted-pair inside a quoted
/// string or a comment ("BEL:\^G" in RFC 4475's intmeth). CR and LF only end lines (or fold them, which the
/// parser undoes first), so inside a line they are bare and refused. NUL, the other C0 controls and DEL are
/// refused everywhere else, so no value with them reaches a header parser, a log line or another leg.
/// </summary>
/// <remarks>
/// Octets from 0x80 up pass: they are UTF-8 where the grammar allows UTF8-NONASCII, and the typed header parsers
/// judge them where it does not. The parser's line walk notes whether a message holds any control character at
/// all (<see cref="SipParser"/>'s NextLineEnd); only then are its lines checked here, one vectorised search each,
/// and the quoted-pair walk runs only for a line where that search finds something.
/// </remarks>
internal static class ControlCharacters
{
    // C0 but HTAB, and DEL.
    private static readonly SearchValues<byte> Refused = SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), 0x7F]);

    private enum Context : byte
    {
        Plain,
        Quoted,
        Angle,
        Comment,
    }

    /// <summary>True when <paramref name="line"/> holds any control character but HTAB: a start line may hold none.</summary>
    public static bool AnyIn(ReadOnlySpan<byte> line) => line.ContainsAny(Refused);

    /// <summary>True when every control character in <paramref name="line"/> (its CRLF excluded) is allowed where it stands.</summary>
    public static bool AreAllowed(ReadOnlySpan<byte> line) => !line.ContainsAny(Refused) || AreAllQuotedPairs(line);

    // The slow path: walks the line and allows a control character only as a quoted-pair's escaped octet.
    // Angle brackets hide '"' and '(' (a URI may hold "(", as intmeth's does), as they hide commas elsewhere.
    private static bool AreAllQuotedPairs(ReadOnlySpan<byte> line)
    {
        var context = Context.Plain;
        var depth = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var b = line[i];
            if (b == '\\' && context is Context.Quoted or Context.Comment)
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                if (++i >= line.Length || line[i] is (byte)'\r' or (byte)'\n')
                {
                    return false;
                }

                continue;
            }

            if (IsRefused(b))
            {
                return false;
            }

            (context, depth) = (context, b) switch
            {
                (Context.Plain, (byte)'"') => (Context.Quoted, 0),
                (Context.Plain, (byte)'<') => (Context.Angle, 0),
                (Context.Plain, (byte)'(') => (Context.Comment, 1),
                (Context.Quoted, (byte)'"') => (Context.Plain, 0),
                (Context.Angle, (byte)'>') => (Context.Plain, 0),
                (Context.Comment, (byte)'(') => (Context.Comment, depth + 1),
                (Context.Comment, (byte)')') => depth == 1 ? (Context.Plain, 0) : (Context.Comment, depth - 1),
                _ => (context, depth),
            };
        }

        return true;
    }

    private static bool IsRefused(byte b) => (b < 0x20 && b != '\t') || b == 0x7F;
}
