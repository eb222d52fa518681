using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace CallControl.Media.Ng;

/// <summary>
/// The address of an rtpengine's ng socket, <c>host:port</c> (<c>[v6]:port</c> for IPv6), as configured in
/// <c>CallControl:Media:Rtpengine:N:Address</c> and as a call keeps it in its state (<see cref="ToString"/> round-trips).
/// </summary>
public sealed record NgAddress
{
    /// <summary>An address of a host (IP literal or DNS name) and a port.</summary>
    public NgAddress(string host, int port)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65_535);
        Host = host;
        Port = port;
    }

    /// <summary>The host: an IP literal (IPv6 without brackets) or a DNS name.</summary>
    public string Host { get; }

    /// <summary>The UDP port.</summary>
    public int Port { get; }

    /// <summary>Parses <c>host:port</c> or <c>[v6]:port</c>; throws <see cref="FormatException"/> naming the problem.</summary>
    public static NgAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not host:port (an IPv6 host in brackets) with a port from 1 to 65535.");

    /// <summary>Parses <c>host:port</c> or <c>[v6]:port</c>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out NgAddress? address)
    {
        address = null;
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65_535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('['))
        {
            if (!host.EndsWith(']') || host.Length < 3)
            {
                return false;
            }

            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            return false; // a bare IPv6 literal is ambiguous: brackets required
        }

        if (string.IsNullOrWhiteSpace(host) || host.Any(char.IsWhiteSpace))
        {
            return false;
        }

        address = new NgAddress(host, port);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
