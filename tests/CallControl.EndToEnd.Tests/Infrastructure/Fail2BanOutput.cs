using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>What `fail2ban-client status JAIL` says about a jail.</summary>
/// <param name="CurrentlyFailed">Addresses with failures counted and not (yet) banned.</param>
/// <param name="TotalFailed">Every failure the jail's filter has counted since it started.</param>
/// <param name="Banned">The addresses banned now.</param>
internal sealed record JailStatus(int CurrentlyFailed, int TotalFailed, IReadOnlyList<IPAddress> Banned);

/// <summary>
/// Reads what fail2ban writes: the test action's file (`ban IP jail=J failures=N` and `unban IP jail=J`, one per line),
/// `fail2ban-client status JAIL`, and `fail2ban-regex -o "&lt;ip&gt; &lt;msg&gt;"` (the address, a space, the matched line).
/// </summary>
internal static class Fail2BanOutput
{
    /// <summary>The first line of the action file that records <paramref name="verb"/> ("ban" or "unban") for <paramref name="address"/>.</summary>
    public static string? FindAction(IEnumerable<string> actionLines, string verb, IPAddress address)
        => actionLines.FirstOrDefault(line => ActionOf(line) is var (v, ip) && v == verb && ip.Equals(address));

    /// <summary>Every address the action file says was banned, in order (an address banned twice appears twice).</summary>
    public static IReadOnlyList<IPAddress> BannedAddresses(IEnumerable<string> actionLines)
        => [.. actionLines.Select(ActionOf).Where(a => a is { Verb: "ban" }).Select(a => a!.Value.Address)];

    /// <summary>Parses `fail2ban-client status JAIL`; throws when a count or the banned list is missing.</summary>
    public static JailStatus ParseStatus(string output)
    {
        int? currentlyFailed = null, totalFailed = null;
        IReadOnlyList<IPAddress>? banned = null;
        foreach (var line in output.Split('\n'))
        {
            if (ValueAfter(line, "Currently failed:") is { } current)
            {
                currentlyFailed = int.Parse(current, CultureInfo.InvariantCulture);
            }
            else if (ValueAfter(line, "Total failed:") is { } total)
            {
                totalFailed = int.Parse(total, CultureInfo.InvariantCulture);
            }
            else if (ValueAfter(line, "Banned IP list:") is { } list)
            {
                banned = [.. list.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse)];
            }
        }

        return currentlyFailed is null || totalFailed is null || banned is null
            ? throw new FormatException("Not the status of a jail:\n" + output)
            : new JailStatus(currentlyFailed.Value, totalFailed.Value, banned);
    }

    /// <summary>
    /// The matches printed by `fail2ban-regex -o "&lt;ip&gt; &lt;msg&gt;"`: each matched log line with the address the
    /// filter took from it. Lines that do not start with an address (warnings) are skipped.
    /// </summary>
    public static IReadOnlyList<(IPAddress Address, string Line)> ParseRegexMatches(string output)
    {
        var matches = new List<(IPAddress, string)>();
        foreach (var row in output.Split('\n'))
        {
            var space = row.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && IsAddress(row[..space], out var address))
            {
                matches.Add((address, row[(space + 1)..].TrimEnd('\r')));
            }
        }

        return matches;
    }

    private static (string Verb, IPAddress Address)? ActionOf(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && parts[0] is "ban" or "unban" && IsAddress(parts[1], out var address) ? (parts[0], address) : null;
    }

    /// <summary>A literal IPv4 or IPv6 address only (IPAddress.TryParse alone would take "7" for 0.0.0.7).</summary>
    private static bool IsAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        return (text.Count(c => c == '.') == 3 || text.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(text, out address!);
    }

    private static string? ValueAfter(string line, string label)
    {
        var at = line.IndexOf(label, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + label.Length)..].Trim();
    }
}
