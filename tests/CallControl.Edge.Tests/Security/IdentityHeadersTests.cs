using System.Text;
using CallControl.Edge.Security;
using CallControl.Sip.Headers;
using CallControl.Sip.Tests.Messages;

namespace CallControl.Edge.Tests.Security;

/// <summary>
/// RFC 3325 at the border, on the request's bytes: every identity header an untrusted caller wrote is gone (any case,
/// folded lines too), everything else is as it was to the byte, the edge's own assertion is added when asked, and the
/// result is still a message the SIP parser takes.
/// </summary>
public sealed class IdentityHeadersTests
{
    private const string Body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

    [Fact]
    public void Every_identity_header_goes_in_any_case_with_its_folded_lines_and_nothing_else_changes()
    {
        var request = Message(
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-pai",
            "P-Asserted-Identity: <sip:ceo@example.com>",
            "From: <sip:mallory@example.com>;tag=m1",
            "p-asserted-identity: <tel:+15551234567>,",
            "  <sip:ceo@example.com>",            // a folded continuation of the line above
            "To: <sip:bob@example.com>",
            "P-PREFERRED-IDENTITY: \"CEO\" <sip:ceo@example.com>",
            "\tP-Asserted-Identity: looks-like-a-header-but-is-folded",
            "Call-ID: pai-1@192.0.2.1",
            "Remote-Party-ID : \"CEO\" <sip:ceo@example.com>;party=calling",
            "CSeq: 1 INVITE",
            "Max-Forwards: 70",
            "Content-Type: application/sdp",
            $"Content-Length: {Body.Length}");

        var rewritten = Text(IdentityHeaders.Rewrite(request, asserted: null));

        Assert.Equal(
            Text(Message(
                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-pai",
                "From: <sip:mallory@example.com>;tag=m1",
                "To: <sip:bob@example.com>",
                "Call-ID: pai-1@192.0.2.1",
                "CSeq: 1 INVITE",
                "Max-Forwards: 70",
                "Content-Type: application/sdp",
                $"Content-Length: {Body.Length}")),
            rewritten);
        var parsed = Parse(rewritten);
        Assert.False(parsed.Has(HeaderId.PAssertedIdentity));
        Assert.False(parsed.Has(HeaderId.PPreferredIdentity));
        Assert.Null(parsed.GetHeader("Remote-Party-ID"));
        Assert.Equal(Body, Encoding.UTF8.GetString(parsed.Body.Span));
    }

    [Fact]
    public void The_edges_assertion_is_added_in_place_of_the_callers()
    {
        var request = Message(
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-pai",
            "From: <sip:alice@example.com>;tag=a1",
            "To: <sip:bob@example.com>",
            "P-Asserted-Identity: <sip:ceo@example.com>",
            "Call-ID: pai-2@192.0.2.1",
            "CSeq: 1 INVITE",
            "Max-Forwards: 70",
            $"Content-Length: {Body.Length}");

        var parsed = Parse(Text(IdentityHeaders.Rewrite(request, "sip:alice@example.com")));

        Assert.Equal(["<sip:alice@example.com>"], parsed.GetHeaders(HeaderId.PAssertedIdentity));
        Assert.Equal("pai-2@192.0.2.1", parsed.CallId);
        Assert.Equal("INVITE", parsed.MethodName);
        Assert.Equal("sip:bob@example.com", parsed.RequestUri);
        Assert.Equal(Body, Encoding.UTF8.GetString(parsed.Body.Span));
    }

    [Fact]
    public void A_message_without_identity_headers_is_unchanged_to_the_byte()
    {
        var request = TestMessages.Bytes(TestMessages.Invite());

        Assert.Equal(request, IdentityHeaders.Rewrite(request, asserted: null));
    }

    [Fact]
    public void Headers_that_only_begin_like_an_identity_header_stay()
    {
        var request = Message(
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-pai",
            "From: <sip:alice@example.com>;tag=a1",
            "To: <sip:bob@example.com>",
            "P-Asserted-Identity-Extra: kept",
            "X-Remote-Party-ID: kept",
            "Call-ID: pai-3@192.0.2.1",
            "CSeq: 1 INVITE",
            "Max-Forwards: 70",
            $"Content-Length: {Body.Length}");

        Assert.Equal(request, IdentityHeaders.Rewrite(request, asserted: null));
    }

    [Fact]
    public void A_body_that_looks_like_headers_is_left_alone()
    {
        const string body = "P-Asserted-Identity: <sip:ceo@example.com>\r\n";
        var request = Encoding.UTF8.GetBytes(
            "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-m\r\nFrom: <sip:alice@example.com>;tag=a1\r\n"
            + "To: <sip:bob@example.com>\r\nCall-ID: m@192.0.2.1\r\nCSeq: 1 MESSAGE\r\nMax-Forwards: 70\r\nContent-Type: text/plain\r\n"
            + $"Content-Length: {body.Length}\r\n\r\n{body}");

        var rewritten = IdentityHeaders.Rewrite(request, "sip:alice@example.com");

        Assert.EndsWith($"P-Asserted-Identity: <sip:alice@example.com>\r\n\r\n{body}", Text(rewritten), StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetString(Parse(Text(rewritten)).Body.Span));
    }

    [Fact]
    public void Bytes_without_the_end_of_the_headers_are_returned_as_they_are()
    {
        var partial = Encoding.ASCII.GetBytes("INVITE sip:bob@example.com SIP/2.0\r\nP-Asserted-Identity: <sip:ceo@example.com>\r\n");

        Assert.Equal(partial, IdentityHeaders.Rewrite(partial, "sip:alice@example.com"));
    }

    private static byte[] Message(params string[] headers)
        => Encoding.UTF8.GetBytes($"INVITE sip:bob@example.com SIP/2.0\r\n{string.Join("\r\n", headers)}\r\n\r\n{Body}");

    private static string Text(byte[] message) => Encoding.UTF8.GetString(message);

    // SipParser.TryParse, as the edge's receive path parses (TestMessages keeps CRLF as it is).
    private static Sip.Messages.SipMessage Parse(string text) => TestMessages.Parse(text);
}
