namespace CallControl.Media.Bencode;

/// <summary>
/// A decoded (or to-be-encoded) bencode value: a byte string, an integer, a list or a dictionary. Generic on purpose:
/// rtpengine's replies have keys with spaces and shapes that vary by version (ECOSYSTEM.md §3), so the ng layer reads
/// what it needs from these and keeps the rest.
/// </summary>
public abstract class BencodeValue
{
    private protected BencodeValue()
    {
    }

    /// <summary>Implicit text: a UTF-8 byte string.</summary>
    public static implicit operator BencodeValue(string text) => new BencodeString(text);

    /// <summary>Implicit integer.</summary>
    public static implicit operator BencodeValue(long value) => new BencodeInteger(value);

    /// <summary>The text of a byte string (UTF-8), or null for any other kind.</summary>
    public string? AsText() => (this as BencodeString)?.Text;

    /// <summary>The value of an integer, or of a byte string of decimal digits (rtpengine sends some numbers as text), or null.</summary>
    public long? AsInteger() => this switch
    {
        BencodeInteger i => i.Value,
        BencodeString s when long.TryParse(s.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>This value as a dictionary, or null.</summary>
    public BencodeDictionary? AsDictionary() => this as BencodeDictionary;

    /// <summary>This value as a list, or null.</summary>
    public BencodeList? AsList() => this as BencodeList;

    /// <summary>Creates a list (for request arguments: <c>flags</c>, <c>replace</c>...).</summary>
    public static BencodeList List(params IEnumerable<BencodeValue> items) => new(items.ToList());

    /// <summary>Creates a list of texts.</summary>
    public static BencodeList Texts(IEnumerable<string> items) => new(items.Select(i => (BencodeValue)new BencodeString(i)).ToList());
}
