using System.Globalization;

namespace CallControl.Cli;

/// <summary>The length of a ban as an operator writes it: <c>90s</c>, <c>10m</c>, <c>2h</c>, <c>7d</c>, or <c>hh:mm:ss</c>.</summary>
internal static class BanLength
{
    /// <summary>The length when none is given: the edges' default BanTime.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(10);

    /// <summary>Parses a length; a usage error names the option otherwise.</summary>
    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        TimeSpan? length = trimmed.Length > 1 && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? char.ToLowerInvariant(trimmed[^1]) switch
            {
                's' => TimeSpan.FromSeconds(count),
                'm' => TimeSpan.FromMinutes(count),
                'h' => TimeSpan.FromHours(count),
                'd' => TimeSpan.FromDays(count),
                _ => null,
            }
            : TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out var span) ? span : null;
        return length is { } value && value > TimeSpan.Zero
            ? value
            : throw new UsageException($"--for must be a positive length such as 90s, 10m, 2h, 7d or hh:mm:ss; got '{text}'.");
    }
}
