using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CallControl.Calls.Sessions;

/// <summary>
/// Issue 20 and RFC 4028 speak of session intervals in seconds (<c>CallControl:Calls:SessionExpires=1800</c>), where the
/// configuration binder would read a bare number as days: a plain integer under these two keys is taken as seconds; a
/// TimeSpan (<c>00:30:00</c>) keeps its meaning.
/// </summary>
public static class SessionSeconds
{
    /// <summary>Sets <see cref="CallOptions.SessionExpires"/> and <see cref="CallOptions.MinSessionExpires"/> from <paramref name="calls"/> where they are given as seconds.</summary>
    public static void Apply(CallOptions options, IConfiguration calls)
    {
        if (Seconds(calls["SessionExpires"]) is { } expires)
        {
            options.SessionExpires = expires;
        }

        if (Seconds(calls["MinSessionExpires"]) is { } minimum)
        {
            options.MinSessionExpires = minimum;
        }
    }

    private static TimeSpan? Seconds(string? value)
        => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;
}
