using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>
/// A list of ";name[=value]" parameters (RFC 3261 §7.3.1, §19.1.1), in order. Names compare
/// case-insensitively; quoted values keep their quotes off and their escapes resolved.
/// </summary>
public sealed class HeaderParameters
{
    private static readonly System.Buffers.SearchValues<char> NameStoppers = System.Buffers.SearchValues.Create(" \t\"<>,");

    private readonly List<KeyValuePair<string, string?>> _items = [];

    /// <summary>An empty list.</summary>
    public static HeaderParameters Empty => new();

    /// <summary>How many parameters there are.</summary>
    public int Count => _items.Count;

    /// <summary>The parameters in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Items => _items;

    /// <summary>True when a parameter of this name is present (with or without a value).</summary>
    public bool Contains(string name) => _items.Exists(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value of the named parameter; null when absent or valueless.</summary>
    public string? this[string name] => _items.Find(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Adds or replaces a parameter.</summary>
    public void Set(string name, string? value)
    {
        var index = _items.FindIndex(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));
        if (index >= 0)
        {
            _items[index] = new(name, value);
        }
        else
        {
            _items.Add(new(name, value));
        }
    }

    /// <summary>
    /// Parses parameters from text that starts at the first ';'. Returns false on an empty name or an
    /// unterminated quoted string; with <paramref name="uri"/>, also on a quoted value or a control character,
    /// which a URI parameter cannot hold (RFC 3261 §25.1: uri-parameter is paramchars and escapes only).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out HeaderParameters parameters, bool uri = false)
    {
        parameters = new HeaderParameters();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            if (text[i] != ';')
            {
                return false;
            }

            i++;
            var nameStart = i;
            while (i < text.Length && text[i] is not ('=' or ';'))
            {
                i++;
            }

            var name = text[nameStart..i].Trim();
            if (name.IsEmpty || name.ContainsAny(NameStoppers))
            {
                return false;
            }

            string? value = null;
            if (i < text.Length && text[i] == '=')
            {
                i++;
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i < text.Length && text[i] == '"')
                {
                    if (uri || !QuotedString.TryRead(text, ref i, out value))
                    {
                        return false;
                    }
                }
                else
                {
                    var valueStart = i;
                    while (i < text.Length && text[i] != ';')
                    {
                        i++;
                    }

                    value = text[valueStart..i].Trim().ToString();
                    if (uri && (value.AsSpan().ContainsAnyInRange('\0', ' ') || value.Contains('"', StringComparison.Ordinal) || value.Contains('\u007f', StringComparison.Ordinal)))
                    {
                        return false;
                    }
                }
            }

            parameters._items.Add(new(name.ToString(), value));
        }

        return true;
    }

    /// <summary>Writes ";name=value..." as it goes on the wire.</summary>
    public void AppendTo(StringBuilder builder, bool uri = false)
    {
        foreach (var (name, value) in _items)
        {
            builder.Append(';').Append(name);
            if (value is not null)
            {
                builder.Append('=');
                if (!uri && QuotedString.NeedsQuoting(value)) // URI parameters are never quoted (RFC 3261 §25.1)
                {
                    QuotedString.Append(builder, value);
                }
                else
                {
                    builder.Append(value);
                }
            }
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }
}
