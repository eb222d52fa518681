using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Grains.Routing;

/// <summary>
/// Which headers of a message cross from one leg of a call to the other (docs/interop.md, "Header policy"): those the
/// B2BUA relays by default for that kind of message (<see cref="HeaderCrossing"/>: what describes the call, plus
/// <c>Diversion</c>, <c>History-Info</c> and every <c>X-</c> header), and those <see cref="Allow"/> names; less those
/// <see cref="Deny"/> names (the deny list wins). A name ending in <c>*</c> is a prefix (<c>X-*</c>, <c>P-Charging-*</c>),
/// <c>*</c> alone is every header. Headers that route a message or belong to one leg never cross, whatever the lists
/// say (<see cref="HeaderCrossing.NeverCrosses"/>: topology hiding). The same lists apply in both directions.
/// Persisted in the call's state (<see cref="RoutePolicy"/>): ids are append only. Arrays, not read-only lists: the JSON
/// storage of the embedded default writes each value's runtime type, and a list a collection expression made is of a
/// compiler-generated type no reader may resolve.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.header-policy")]
public sealed record HeaderPolicy
{
    /// <summary>The default: what crosses by default crosses, nothing more.</summary>
    public static HeaderPolicy Default { get; } = new();

    /// <summary>Header names (or prefixes ending in <c>*</c>) that cross besides the defaults.</summary>
    [Id(0)] public string[] Allow { get; init; } = [];

    /// <summary>Header names (or prefixes ending in <c>*</c>) that never cross, defaults included.</summary>
    [Id(1)] public string[] Deny { get; init; } = [];

    /// <summary>True when the lists are empty: only the defaults cross.</summary>
    public bool IsDefault => Allow.Length == 0 && Deny.Length == 0;

    /// <summary>
    /// Whether a header crosses in a message of <paramref name="kind"/>: <paramref name="id"/> as the stack knows it
    /// (<see cref="HeaderId.Unknown"/> otherwise) and <paramref name="name"/> its name (canonical for a known header).
    /// </summary>
    public bool Crosses(HeaderCrossingKind kind, HeaderId id, ReadOnlySpan<byte> name)
    {
        if (HeaderCrossing.NeverCrosses(id, name) || Matches(Deny, name))
        {
            return false;
        }

        return HeaderCrossing.CrossesByDefault(kind, id, name) || Matches(Allow, name);
    }

    /// <summary>As <see cref="Crosses(HeaderCrossingKind, HeaderId, ReadOnlySpan{byte})"/>, by name alone (known or not).</summary>
    public bool Crosses(HeaderCrossingKind kind, string name)
    {
        var id = HeaderTable.Lookup(name);
        var canonical = id == HeaderId.Unknown ? name : HeaderTable.Get(id)!.Name;
        return Crosses(kind, id, Encoding.ASCII.GetBytes(canonical));
    }

    /// <summary>What is wrong, each as "Allow:N: problem" or "Deny:N: problem" (the configuration's key names).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        Check("Allow", Allow, neverCrossingIsAnError: true);
        Check("Deny", Deny, neverCrossingIsAnError: false);
        return problems;

        void Check(string list, IReadOnlyList<string> names, bool neverCrossingIsAnError)
        {
            for (var i = 0; i < names.Count; i++)
            {
                var pattern = names[i];
                if (!IsPattern(pattern))
                {
                    problems.Add($"{list}:{i}: '{pattern}' is not a header name (letters, digits, '-', '.', '!', '%', '*', '_', '+', '`', ''', '~'), or a prefix ending in '*'");
                }
                else if (neverCrossingIsAnError && !pattern.EndsWith('*') && HeaderCrossing.NeverCrosses(pattern))
                {
                    problems.Add($"{list}:{i}: {pattern} never crosses to the other leg (it routes the message or belongs to one leg)");
                }
            }
        }
    }

    /// <summary>The lists as the CLI writes them (<c>--header-allow X-*,Foo --header-deny X-Secret</c>); empty for the default.</summary>
    public override string ToString()
        => string.Join(' ', new[] { Allow.Length > 0 ? "--header-allow " + string.Join(',', Allow) : null, Deny.Length > 0 ? "--header-deny " + string.Join(',', Deny) : null }.Where(p => p is not null));

    /// <summary>Equality by the lists' contents (records compare lists by reference).</summary>
    public bool Equals(HeaderPolicy? other) => other is not null && Allow.SequenceEqual(other.Allow, StringComparer.OrdinalIgnoreCase) && Deny.SequenceEqual(other.Deny, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Allow.Length, Deny.Length);

    /// <summary>Whether <paramref name="name"/> is one of <paramref name="patterns"/>: a name (any case), or a prefix ending in '*'.</summary>
    internal static bool Matches(IReadOnlyList<string> patterns, ReadOnlySpan<byte> name)
    {
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, name))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool Matches(string pattern, ReadOnlySpan<byte> name)
    {
        if (pattern.EndsWith('*'))
        {
            var prefix = pattern.AsSpan(0, pattern.Length - 1);
            return name.Length >= prefix.Length && Ascii.EqualsIgnoreCase(name[..prefix.Length], prefix);
        }

        return Ascii.EqualsIgnoreCase(name, pattern);
    }

    // RFC 3261 §25.1 token characters, with one '*' allowed at the end (a prefix).
    private static bool IsPattern(string pattern)
    {
        var name = pattern.EndsWith('*') ? pattern.AsSpan(0, pattern.Length - 1) : pattern.AsSpan();
        if (name.Length == 0 && pattern.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c, StringComparison.Ordinal)) || c == '*')
            {
                return false;
            }
        }

        return true;
    }
}
