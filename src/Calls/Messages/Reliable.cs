using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls;

/// <summary>RFC 3262 reliable provisional responses: who offers or requires them, and how their headers read.</summary>
internal static class Reliable
{
    /// <summary>The option tag.</summary>
    public const string Extension = "100rel";

    /// <summary>The message lists 100rel in Require.</summary>
    public static bool Required(SipMessage message) => OptionTags.Lists(message, HeaderId.Require, Extension);

    /// <summary>The message lists 100rel in Supported or Require.</summary>
    public static bool Supported(SipMessage message) => OptionTags.Lists(message, HeaderId.Supported, Extension) || Required(message);

    /// <summary>A provisional response's RSeq when it is sent reliably (Require: 100rel and a valid RSeq), else 0.</summary>
    public static uint RSeqOf(SipMessage response)
        => response.StatusCode is > 100 and < 200 && Required(response) && uint.TryParse(response.GetHeader(HeaderId.RSeq)?.Trim(), out var rseq) ? rseq : 0;

    /// <summary>The RSeq a PRACK acknowledges (its RAck's first number: "RAck: 1 314159 INVITE"), or 0.</summary>
    public static uint RAckOf(SipMessage prack)
    {
        var rack = prack.GetHeader(HeaderId.RAck)?.Trim();
        if (rack is null)
        {
            return 0;
        }

        var space = rack.IndexOf(' ', StringComparison.Ordinal);
        return uint.TryParse(space < 0 ? rack : rack[..space], out var rseq) ? rseq : 0;
    }
}
