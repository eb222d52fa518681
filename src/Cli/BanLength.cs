using System.Globalization;

namespace CallControl.Cli;

/// <summary>The length of a ban as an operator writes it: <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>, or <c>hh:mm:ss</c>.</summary>
internal static class BanLength
{
    /// <summary>The length when none is given: the edges' default BanTime.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(10);

    /// <summary>Parses a length; a usage error names the option otherwise.</summary>
    public static TimeSpan Parse(string text)
        => Length(text.Trim()) is { } value && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"--for must be a positive length such as 90s, 10m, 2h, 7d or hh:mm:ss; got '{text}'.");

    // A count and its unit, or a time span with a colon (so that a bare number is never read as days); null otherwise.
    private static TimeSpan? Length(string text)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
        }

        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return null;
        }

        try
        {
            return char.ToLowerInvariant(text[^1]) switch
            {
                's' => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                _ => null,
            };
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return null; // longer than a TimeSpan holds
        }
    }
}
