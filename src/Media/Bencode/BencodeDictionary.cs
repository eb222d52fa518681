namespace CallControl.Media.Bencode;

/// <summary>
/// A bencode dictionary (<c>d...e</c>) with text keys (rtpengine's are ASCII, some with spaces: <c>"local port"</c>).
/// Decoding keeps the sender's order (rtpengine does not sort); encoding sorts keys by their bytes, as bencode requires.
/// </summary>
public sealed class BencodeDictionary : BencodeValue
{
    private readonly Dictionary<string, BencodeValue> _entries;

    /// <summary>An empty dictionary to fill (requests).</summary>
    public BencodeDictionary() => _entries = new(StringComparer.Ordinal);

    internal BencodeDictionary(Dictionary<string, BencodeValue> entries) => _entries = entries;

    /// <summary>The entries.</summary>
    public IReadOnlyDictionary<string, BencodeValue> Entries => _entries;

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets or sets an entry; a missing key reads as null.</summary>
    public BencodeValue? this[string key]
    {
        get => _entries.GetValueOrDefault(key);
        set
        {
            if (value is null)
            {
                _entries.Remove(key);
            }
            else
            {
                _entries[key] = value;
            }
        }
    }

    /// <summary>The text under <paramref name="key"/>, or null.</summary>
    public string? Text(string key) => this[key]?.AsText();

    /// <summary>The integer under <paramref name="key"/> (or decimal text), or null.</summary>
    public long? Integer(string key) => this[key]?.AsInteger();

    /// <summary>The dictionary under <paramref name="key"/>, or null.</summary>
    public BencodeDictionary? Dictionary(string key) => this[key]?.AsDictionary();

    /// <summary>The list under <paramref name="key"/>, or null.</summary>
    public BencodeList? List(string key) => this[key]?.AsList();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(", ", _entries.Select(e => $"{e.Key}: {e.Value}")) + "}";
}
