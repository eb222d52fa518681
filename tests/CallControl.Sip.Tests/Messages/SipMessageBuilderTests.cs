using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Tests.Messages;

public sealed class SipMessageBuilderTests
{
    [Fact]
    public void A_response_copies_via_from_call_id_and_cseq_and_adds_the_to_tag()
    {
        var request = TestMessages.Parse("""
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK-1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-2
            From: "Alice" <sip:alice@example.com>;tag=a1
            To: <sip:bob@example.com>
            Call-ID: resp@example.com
            CSeq: 7 INVITE
            Content-Length: 0


            """);

        var bytes = SipResponses.Simple(request, 180, toTag: "t9");
        var response = SipParser.ParseTrusted(bytes);

        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing", response.ReasonPhrase);
        Assert.Equal(["p1.example.com", "10.0.0.1"], response.Vias.Select(v => v.Host));
        Assert.Equal("a1", response.From.Tag);
        Assert.Equal("t9", response.To.Tag);
        Assert.Equal("resp@example.com", response.CallId);
        Assert.Equal(new CSeqHeader(7, SipMethod.Invite, "INVITE"), response.CSeq);
        Assert.Equal("0", response.GetHeader(HeaderId.ContentLength));
    }

    [Fact]
    public void An_existing_to_tag_is_kept_and_100_trying_gets_none()
    {
        var inDialog = TestMessages.Parse(TestMessages.Request("BYE"));
        Assert.Equal("b1", SipParser.ParseTrusted(SipResponses.Simple(inDialog, 200, toTag: "other")).To.Tag);
        var invite = TestMessages.Parse(TestMessages.Invite());
        Assert.Null(SipParser.ParseTrusted(SipResponses.Simple(invite, 100, toTag: "x")).To.Tag);
    }

    [Fact]
    public void Content_length_is_written_from_the_body()
    {
        var body = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"u8.ToArray();
        var bytes = SipMessageBuilder.Request(SipMethod.Invite, "sip:bob@example.com")
            .Add(HeaderId.Via, "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-b")
            .Add(HeaderId.From, "<sip:a@example.com>;tag=1")
            .Add(HeaderId.To, "<sip:bob@example.com>")
            .Add(HeaderId.CallId, "built@example.com")
            .Add(HeaderId.CSeq, "1 INVITE")
            .Add("X-Custom", "yes")
            .Body(body, "application/sdp")
            .ToArray();

        var message = SipParser.ParseTrusted(bytes);
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), message.GetHeader(HeaderId.ContentLength));
        Assert.Equal("application/sdp", message.ContentType);
        Assert.Equal("yes", message.GetHeader("x-custom"));
        Assert.EndsWith("\r\n\r\n" + Encoding.ASCII.GetString(body), Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void A_relay_copies_every_header_but_the_excluded_ones_and_recomputes_content_length()
    {
        var source = TestMessages.Parse(TestMessages.Invite().Replace("Content-Length: 0", "X-Trace: 42\nSubject: hi\nContent-Length: 0", StringComparison.Ordinal));
        var copy = SipParser.ParseTrusted(SipMessageBuilder.Request(SipMethod.Invite, source.RequestUri)
            .CopyAllExcept(source, [HeaderId.Subject])
            .ToArray());

        Assert.Null(copy.GetHeader(HeaderId.Subject));
        Assert.Equal("42", copy.GetHeader("X-Trace"));
        Assert.Equal(source.CallId, copy.CallId);
        Assert.Equal(1, copy.LineCount(HeaderId.ContentLength));
    }

    [Fact]
    public void Cancel_and_failure_ack_follow_rfc3261()
    {
        var invite = TestMessages.Parse(TestMessages.Invite(branch: "z9hG4bK-inv", cseq: 4).Replace("Content-Length: 0", "Route: <sip:p1.example.com;lr>\nContent-Length: 0", StringComparison.Ordinal));
        var cancel = SipParser.ParseTrusted(SipRequests.CreateCancel(invite));
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(invite.RequestUri, cancel.RequestUri);
        Assert.Equal("z9hG4bK-inv", cancel.TopVia.Branch);
        Assert.Equal(new CSeqHeader(4, SipMethod.Cancel, "CANCEL"), cancel.CSeq);
        Assert.Null(cancel.To.Tag);
        Assert.Single(cancel.Addresses(HeaderId.Route));

        var busy = TestMessages.Parse(TestMessages.Response(486, branch: "z9hG4bK-inv", cseq: 4, toTag: ";tag=busy"));
        var ack = SipParser.ParseTrusted(SipRequests.CreateAckForFailure(invite, busy));
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Equal("z9hG4bK-inv", ack.TopVia.Branch);
        Assert.Equal("busy", ack.To.Tag);
        Assert.Equal(new CSeqHeader(4, SipMethod.Ack, "ACK"), ack.CSeq);
    }
}
