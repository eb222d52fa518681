using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;
using CallControl.Sip.Tests.Messages;

namespace CallControl.Sip.Tests.Stack;

public sealed class MalformedRequestResponderTests
{
    [Fact]
    public void A_request_missing_a_header_gets_a_400_that_names_it_and_echoes_what_it_had()
    {
        var bytes = TestMessages.Bytes(TestMessages.Invite().Replace("Call-ID: call-1@test\n", "", StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));

        var response = MalformedRequestResponder.TryBuild(bytes, failure);

        Assert.NotNull(response);
        var text = Encoding.UTF8.GetString(response);
        Assert.StartsWith("SIP/2.0 400 Bad Request - Missing Call-ID\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("CSeq: 1 INVITE\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_version_gets_505()
    {
        var bytes = TestMessages.Bytes(TestMessages.Invite().Replace("5060 SIP/2.0", "5060 SIP/7.0", StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.StartsWith("SIP/2.0 505 ", Encoding.UTF8.GetString(MalformedRequestResponder.TryBuild(bytes, failure)!), StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_responses_and_requests_without_a_via_are_dropped()
    {
        var response = TestMessages.Bytes(TestMessages.Response(200).Replace("CSeq: 1 INVITE", "CSeq: x", StringComparison.Ordinal));
        Assert.Null(MalformedRequestResponder.TryBuild(response, new SipParseFailure(SipParseError.MalformedHeaderValue, HeaderId.CSeq)));

        var noVia = TestMessages.Bytes(TestMessages.Invite().Replace("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\n", "", StringComparison.Ordinal));
        Assert.Null(MalformedRequestResponder.TryBuild(noVia, new SipParseFailure(SipParseError.MissingHeader, HeaderId.Via)));

        Assert.Null(MalformedRequestResponder.TryBuild("garbage"u8, new SipParseFailure(SipParseError.MalformedStartLine)));
    }
}
