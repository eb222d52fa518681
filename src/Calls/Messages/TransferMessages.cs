using System.Globalization;
using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Calls;

/// <summary>
/// What a transfer's messages carry (RFC 3515): the NOTIFY's event, subscription state and <c>message/sipfrag</c>
/// body. They are built as a request of their own and sent on the transferor's dialog as a relayed request is
/// (<see cref="LegMessages"/> copies its Event, Subscription-State and body), so the legs' messages stay in one place.
/// </summary>
internal static class TransferMessages
{
    /// <summary>The sipfrag media type of a refer NOTIFY's body (RFC 3515 §2.4.5, RFC 3420).</summary>
    public const string SipFrag = "message/sipfrag;version=2.0";

    /// <summary>
    /// The content of a NOTIFY reporting <paramref name="status"/>: <c>Event: refer;id=</c> the REFER's CSeq (§2.4.6),
    /// <c>Subscription-State</c> active until the final status, then terminated (RFC 6665 §4.1.3: noresource).
    /// </summary>
    public static SipMessage Notify(uint referCSeq, int status, string? reason, bool final, int expires)
    {
        var fragment = Encoding.ASCII.GetBytes($"SIP/2.0 {status.ToString(CultureInfo.InvariantCulture)} {reason ?? SipStatus.DefaultReason(status)}\r\n");
        // Only what LegMessages copies from it counts; the rest makes it a request the parser takes.
        var bytes = SipMessageBuilder.Request("NOTIFY", "sip:transfer.invalid")
            .Add(HeaderId.Via, "SIP/2.0/UDP transfer.invalid;branch=z9hG4bK-transfer")
            .Add(HeaderId.From, "<sip:transfer.invalid>;tag=transfer")
            .Add(HeaderId.To, "<sip:transfer.invalid>")
            .Add(HeaderId.CallId, "transfer.invalid")
            .Add(HeaderId.CSeq, "1 NOTIFY")
            .Add(HeaderId.Event, $"refer;id={referCSeq.ToString(CultureInfo.InvariantCulture)}")
            .Add(HeaderId.SubscriptionState, final ? "terminated;reason=noresource" : $"active;expires={expires.ToString(CultureInfo.InvariantCulture)}")
            .Body(fragment, SipFrag)
            .ToArray();
        return SipParser.ParseTrusted(bytes);
    }

    /// <summary>The 202 to an accepted REFER; <c>Refer-Sub: false</c> when it asked for no NOTIFYs (RFC 4488 §4).</summary>
    public static byte[] Accepted(SipMessage refer, string? toTag, bool quiet)
    {
        var builder = SipResponses.Create(refer, 202, null, toTag);
        return (quiet ? builder.Add("Refer-Sub", "false") : builder).ToArray();
    }

    /// <summary>The REFER asks for no NOTIFYs (<c>Refer-Sub: false</c>, RFC 4488 §4).</summary>
    public static bool WantsNoSubscription(SipMessage refer)
        => refer.GetHeader("Refer-Sub") is { } value && value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Refer-To URI names a dialog to replace (<c>?Replaces=</c>, RFC 3891 §4): an attended transfer.</summary>
    public static bool Replaces(SipUri referTo)
        => referTo.Headers is { } headers && headers.Contains("replaces=", StringComparison.OrdinalIgnoreCase);
}
