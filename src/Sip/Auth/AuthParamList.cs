namespace CallControl.Sip.Auth;

/// <summary>The auth-params of one challenge or credentials value, in order; names compare case-insensitively.</summary>
internal sealed class AuthParamList
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public int Count => _items.Count;

    /// <summary>The value (quotes and escapes removed) of the named parameter, or null when absent.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var (key, value) in _items)
            {
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return value;
                }
            }

            return null;
        }
    }

    /// <summary>Adds a parameter; false when the name is already there (RFC 7235 §2.1: each name at most once).</summary>
    public bool TryAdd(string name, string value)
    {
        if (this[name] is not null)
        {
            return false;
        }

        _items.Add(new(name, value));
        return true;
    }
}
