using CallControl.Sip.Headers;

namespace CallControl.Calls;

/// <summary>
/// The dialog an attended transfer's Refer-To names (<c>?Replaces=</c>, RFC 3891 §6.1): the transferor's other call
/// through us, as the transferor sees it. <see cref="ToTag"/> is the tag of that dialog's far end (ours, to the
/// transferor), <see cref="FromTag"/> the transferor's own.
/// </summary>
public readonly record struct ReplacedDialog(string CallId, string ToTag, string FromTag)
{
    /// <summary>Reads the <c>Replaces</c> header of a Refer-To URI (escaped, among its other headers); false when there is none or it is malformed.</summary>
    public static bool TryParse(SipUri referTo, out ReplacedDialog dialog)
    {
        dialog = default;
        foreach (var header in (referTo.Headers ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = header.IndexOf('=');
            if (equals <= 0 || !header.AsSpan(0, equals).Trim().Equals("Replaces", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            return TryParseValue(Uri.UnescapeDataString(header[(equals + 1)..]), out dialog);
        }

        return false;
    }

    /// <summary>Reads a Replaces header value: <c>call-id;to-tag=…;from-tag=…</c> (RFC 3891 §6.1), other parameters ignored.</summary>
    public static bool TryParseValue(string value, out ReplacedDialog dialog)
    {
        dialog = default;
        var parts = value.Split(';');
        string? to = null, from = null;
        foreach (var part in parts.AsSpan(1))
        {
            var equals = part.IndexOf('=');
            var name = equals < 0 ? part.Trim() : part[..equals].Trim();
            var text = equals < 0 ? "" : part[(equals + 1)..].Trim();
            if (name.Equals("to-tag", StringComparison.OrdinalIgnoreCase))
            {
                to = text;
            }
            else if (name.Equals("from-tag", StringComparison.OrdinalIgnoreCase))
            {
                from = text;
            }
        }

        var callId = parts[0].Trim();
        if (callId.Length == 0 || string.IsNullOrEmpty(to) || string.IsNullOrEmpty(from))
        {
            return false;
        }

        dialog = new ReplacedDialog(callId, to, from);
        return true;
    }

    /// <summary>The header value, as the far party that must replace its dialog reads it.</summary>
    public override string ToString() => $"{CallId};to-tag={ToTag};from-tag={FromTag}";
}
