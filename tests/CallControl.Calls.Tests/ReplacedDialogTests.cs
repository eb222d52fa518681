using CallControl.Sip.Headers;

namespace CallControl.Calls.Tests;

/// <summary>The Replaces of an attended transfer's Refer-To (RFC 3891 §6.1), escaped among the URI's headers.</summary>
public sealed class ReplacedDialogTests
{
    [Theory]
    [InlineData("sip:carol@example.com?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2", "abc@host", "1", "2")]
    [InlineData("sip:carol@example.com?Subject=hi&replaces=abc%3Bfrom-tag%3D2%3Bearly-only%3Bto-tag%3D1", "abc", "1", "2")]
    public void A_refer_tos_replaces_is_read_whatever_its_case_place_and_other_parameters(string referTo, string callId, string toTag, string fromTag)
    {
        Assert.True(ReplacedDialog.TryParse(SipUri.Parse(referTo), out var dialog));
        Assert.Equal(new ReplacedDialog(callId, toTag, fromTag), dialog);
        Assert.Equal($"{callId};to-tag={toTag};from-tag={fromTag}", dialog.ToString());
    }

    [Theory]
    [InlineData("sip:carol@example.com")]
    [InlineData("sip:carol@example.com?Replaces=abc%3Bto-tag%3D1")]
    [InlineData("sip:carol@example.com?Replaces=%3Bto-tag%3D1%3Bfrom-tag%3D2")]
    [InlineData("sip:carol@example.com?Replaces=abc%3Bto-tag%3D%3Bfrom-tag%3D2")]
    public void One_without_a_call_id_or_either_tag_is_not_read(string referTo)
        => Assert.False(ReplacedDialog.TryParse(SipUri.Parse(referTo), out _));
}
