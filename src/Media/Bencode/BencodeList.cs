namespace CallControl.Media.Bencode;

/// <summary>A bencode list (<c>l...e</c>).</summary>
public sealed class BencodeList(IReadOnlyList<BencodeValue> items) : BencodeValue
{
    /// <summary>The items, in order.</summary>
    public IReadOnlyList<BencodeValue> Items { get; } = items;

    /// <summary>The texts of the items that are byte strings.</summary>
    public IEnumerable<string> Texts() => Items.OfType<BencodeString>().Select(s => s.Text);

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Items) + "]";
}
