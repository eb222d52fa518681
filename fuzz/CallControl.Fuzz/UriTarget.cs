using System.Text;
using CallControl.Sip.Headers;

namespace CallControl.Fuzz;

/// <summary>
/// The "uri" target: the input as one header value, through the URI, name-addr, Via and parameter parsers
/// (none may throw). A URI that parses must also print as a URI that parses back to the same text, since a
/// B2BUA relays the URIs it parsed (Contact, Request-URI) by printing them.
/// </summary>
public static class UriTarget
{
    /// <summary>Runs one input.</summary>
    public static void Run(ReadOnlyMemory<byte> input)
    {
        var bytes = input.Span;
        var text = Encoding.UTF8.GetString(bytes);

        if (SipUri.TryParse(text, out var uri))
        {
            CheckUri(uri);
        }

        if (NameAddress.TryParse(text, out var address))
        {
            _ = address.ToString();
            _ = address.Tag;
            if (!address.IsWildcard)
            {
                CheckUri(address.Uri);
            }
        }

        _ = NameAddress.TryParse(bytes, out _);

        if (ViaHeader.TryParse(text, out var via))
        {
            _ = via.ToString();
            _ = via.SentBy;
            _ = via.Branch;
            _ = via.Received;
            _ = via.HasRport;
        }

        _ = ViaHeader.TryParse(bytes, out _);

        if (HeaderParameters.TryParse(text, out var parameters))
        {
            _ = parameters.ToString();
        }
    }

    private static void CheckUri(SipUri uri)
    {
        var printed = uri.ToString();
        if (!SipUri.TryParse(printed, out var again) || again.ToString() != printed)
        {
            throw new InvalidOperationException($"The URI prints as '{printed}', which does not parse back to itself.");
        }

        _ = uri.ForRequestUri().ToString();
        _ = uri.WithUser(null).ToString();
        _ = uri.Transport;
    }
}
