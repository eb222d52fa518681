using System.Globalization;

namespace CallControl.Calls.Sessions;

/// <summary>Who refreshes a session (RFC 4028 §4: the <c>refresher</c> parameter of Session-Expires).</summary>
public enum Refresher : byte
{
    /// <summary>Not said: the answerer decides.</summary>
    None,

    /// <summary>The side that sent the INVITE.</summary>
    Uac,

    /// <summary>The side that answered it.</summary>
    Uas,
}

/// <summary>
/// A Session-Expires header field (RFC 4028 §4): the session interval in seconds and who refreshes it, as in
/// <c>Session-Expires: 1800;refresher=uac</c>. Unknown parameters are ignored, as §4 asks.
/// </summary>
public readonly record struct SessionExpires(int Seconds, Refresher Refresher = Refresher.None)
{
    /// <summary>Reads a Session-Expires (or Min-SE, whose value is the same delta-seconds) value; false when it is not one.</summary>
    public static bool TryParse(string? value, out SessionExpires header)
    {
        header = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var parts = value.Split(';', StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return false;
        }

        var refresher = Refresher.None;
        foreach (var parameter in parts.AsSpan(1))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parameter[..equals].Trim().Equals("refresher", StringComparison.OrdinalIgnoreCase))
            {
                refresher = parameter[(equals + 1)..].Trim().ToLowerInvariant() switch
                {
                    "uac" => Refresher.Uac,
                    "uas" => Refresher.Uas,
                    _ => Refresher.None,
                };
            }
        }

        header = new SessionExpires(seconds, refresher);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Refresher switch
    {
        Refresher.Uac => string.Create(CultureInfo.InvariantCulture, $"{Seconds};refresher=uac"),
        Refresher.Uas => string.Create(CultureInfo.InvariantCulture, $"{Seconds};refresher=uas"),
        _ => Seconds.ToString(CultureInfo.InvariantCulture),
    };
}
