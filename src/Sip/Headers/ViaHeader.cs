using System.Globalization;
using System.Text;

namespace CallControl.Sip.Headers;

/// <summary>One Via value: sent-protocol, sent-by and parameters (RFC 3261 §20.42, RFC 3581 rport).</summary>
public sealed class ViaHeader
{
    /// <summary>The RFC 3261 branch prefix that marks a globally unique branch (§8.1.1.7).</summary>
    public const string MagicCookie = "z9hG4bK";

    /// <summary>Creates one from parts.</summary>
    public ViaHeader(string transport, string host, int? port, HeaderParameters? parameters = null)
    {
        Transport = transport;
        Host = host;
        Port = port;
        Parameters = parameters ?? new HeaderParameters();
    }

    /// <summary>Upper-case transport: UDP, TCP, TLS, SCTP, WS, WSS.</summary>
    public string Transport { get; }

    /// <summary>The sent-by host.</summary>
    public string Host { get; }

    /// <summary>The sent-by port, when given.</summary>
    public int? Port { get; }

    /// <summary>All parameters.</summary>
    public HeaderParameters Parameters { get; }

    /// <summary>The branch parameter, or null.</summary>
    public string? Branch => Parameters["branch"];

    /// <summary>The received parameter, or null.</summary>
    public string? Received => Parameters["received"];

    /// <summary>True when an rport parameter is present (RFC 3581), with or without a value.</summary>
    public bool HasRport => Parameters.Contains("rport");

    /// <summary>"host:port" (port defaulted by transport): the sent-by that transaction matching compares.</summary>
    public string SentBy => $"{Host.ToLowerInvariant()}:{(Port ?? (Transport == "TLS" ? 5061 : 5060)).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Parses one Via value, e.g. "SIP/2.0/UDP host:5060;branch=z9hG4bK..".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out ViaHeader via)
    {
        via = null!;
        text = text.Trim();
        // sent-protocol = protocol-name SLASH protocol-version SLASH transport (LWS allowed around the slashes)
        var parts = new string[3];
        var position = 0;
        for (var part = 0; part < 3; part++)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            var start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] != '/')
            {
                position++;
            }

            parts[part] = text[start..position].ToString();
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }

            if (part < 2)
            {
                if (position >= text.Length || text[position] != '/')
                {
                    return false;
                }

                position++;
            }
        }

        if (!parts[0].Equals("SIP", StringComparison.OrdinalIgnoreCase) || parts[1] != "2.0" || parts[2].Length == 0)
        {
            return false;
        }

        var rest = text[position..].TrimStart();
        var semicolon = rest.IndexOf(';');
        var sentBy = (semicolon >= 0 ? rest[..semicolon] : rest).Trim();
        if (sentBy.IsEmpty || !SipUri.TrySplitHostPort(RemoveSpacesAroundColon(sentBy), out var host, out var port))
        {
            return false;
        }

        var parameters = HeaderParameters.Empty;
        if (semicolon >= 0 && !HeaderParameters.TryParse(rest[semicolon..], out parameters))
        {
            return false;
        }

        via = new ViaHeader(parts[2].ToUpperInvariant(), host, port, parameters);
        return true;
    }

    /// <summary>Parses one Via value from bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out ViaHeader via) => Utf8Parsing.TryParse(utf8, TryParse, out via);

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder("SIP/2.0/").Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            builder.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        Parameters.AppendTo(builder);
        return builder.ToString();
    }

    private static ReadOnlySpan<char> RemoveSpacesAroundColon(ReadOnlySpan<char> sentBy)
        => sentBy.ContainsAny(" \t") ? sentBy.ToString().Replace(" ", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal) : sentBy;
}
