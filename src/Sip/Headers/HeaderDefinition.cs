namespace CallControl.Sip.Headers;

/// <summary>How many values a header may carry.</summary>
public enum HeaderArity : byte
{
    /// <summary>At most one value (Call-ID, CSeq, Max-Forwards, ...). A second line is malformed.</summary>
    Single,

    /// <summary>A comma-separated list that may also repeat on several lines (Via, Route, Contact, Allow, ...).</summary>
    List,

    /// <summary>May repeat on several lines, but a comma inside one line is part of the value (WWW-Authenticate, Date, ...).</summary>
    Repeated,
}

/// <summary>The grammar of a header's value: which typed parser reads it.</summary>
public enum HeaderSyntax : byte
{
    Text,
    Token,
    Integer,
    NameAddr,
    Via,
    CSeq,
    Credentials,
}

/// <summary>One row of the declarative header table (<see cref="HeaderTable"/>).</summary>
/// <param name="Id">The stack's identifier.</param>
/// <param name="Name">The canonical name, as serialised.</param>
/// <param name="Compact">The compact form of RFC 3261 §7.3.3 (and later RFCs), or '\0'.</param>
/// <param name="Arity">Whether values may be listed or repeated.</param>
/// <param name="Syntax">Which typed parser reads the value.</param>
/// <param name="Rfc">Where the header is defined.</param>
public sealed record HeaderDefinition(HeaderId Id, string Name, char Compact, HeaderArity Arity, HeaderSyntax Syntax, string Rfc)
{
    /// <summary>The canonical name as ASCII bytes, for the serializer.</summary>
    public byte[] NameBytes { get; } = System.Text.Encoding.ASCII.GetBytes(Name);
}
