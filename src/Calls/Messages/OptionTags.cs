using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>Option tags in Supported, Require or Allow-style lists (RFC 3261 §20: comma-separated, case-insensitive).</summary>
internal static class OptionTags
{
    /// <summary>True when any <paramref name="id"/> header of <paramref name="message"/> lists <paramref name="tag"/>.</summary>
    public static bool Lists(SipMessage message, HeaderId id, string tag)
    {
        foreach (var value in message.GetHeaders(id))
        {
            foreach (var item in value.Split(','))
            {
                if (item.Trim().Equals(tag, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
