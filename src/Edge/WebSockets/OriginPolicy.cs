namespace CallControl.Edge.WebSockets;

/// <summary>
/// Which web origins may open a SIP WebSocket (<see cref="EdgeWebSocketOptions.AllowedOrigins"/>). An origin is
/// scheme, host and port (RFC 6454); the handshake's <c>Origin</c> header is compared with the list in that form, so
/// <c>https://App.example.com</c> and <c>https://app.example.com:443</c> are one origin. An empty list allows any.
/// </summary>
internal sealed class OriginPolicy
{
    private readonly HashSet<string> _allowed;

    public OriginPolicy(IEnumerable<string> allowed)
    {
        _allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var origin in allowed)
        {
            if (TryNormalize(origin, out var normal))
            {
                _allowed.Add(normal);
            }
        }
    }

    /// <summary>True when the list is empty (any origin, or none), or names <paramref name="origin"/>; a listed set refuses a missing or malformed Origin.</summary>
    public bool Allows(string? origin)
        => _allowed.Count == 0 || (origin is not null && TryNormalize(origin, out var normal) && _allowed.Contains(normal));

    /// <summary>"scheme://host:port" in lower case with the scheme's default port made explicit; false for anything that is not an http(s) origin.</summary>
    public static bool TryNormalize(string? origin, out string normal)
    {
        normal = "";
        if (string.IsNullOrWhiteSpace(origin) || !Uri.TryCreate(origin.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.PathAndQuery is not ("/" or "") || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }

        normal = $"{uri.Scheme}://{uri.IdnHost.ToLowerInvariant()}:{uri.Port}";
        return true;
    }
}
