using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Tests.Messages;

namespace CallControl.Sip.Tests.Parsing;

public sealed class SipParserTests
{
    private static readonly string BenchInvite = Path.Combine(SharedFiles.Root, "sip", "bench-messages", "invite.sip");

    [Fact]
    public void Parses_a_realistic_invite_and_reads_every_common_header()
    {
        var bytes = File.ReadAllBytes(BenchInvite);
        Assert.True(SipParser.TryParse(bytes, out var invite, out var failure), failure.Describe());

        Assert.True(invite.IsRequest);
        Assert.Equal(SipMethod.Invite, invite.Method);
        Assert.Equal("sip:+15551230002@sip.example.com;user=phone", invite.RequestUri);
        Assert.Equal("3c26700b5e1a4f2d9a8b7c6d5e4f3a21@192.0.2.10", invite.CallId);
        Assert.Equal(new CSeqHeader(102, SipMethod.Invite, "INVITE"), invite.CSeq);
        Assert.Equal(70, invite.MaxForwards);
        Assert.Equal("Alice Example", invite.From.DisplayName);
        Assert.Equal("as6f2c1e9a", invite.From.Tag);
        Assert.Null(invite.To.Tag);
        Assert.Equal("+15551230002", invite.To.Uri.User);
        Assert.Equal("phone", invite.To.Uri.Parameters["user"]);
        var via = Assert.Single(invite.Vias);
        Assert.Equal("UDP", via.Transport);
        Assert.Equal("192.0.2.10", via.Host);
        Assert.Equal(5060, via.Port);
        Assert.Equal("z9hG4bK-524287-1---7f3a9c2e1b4d6a80", via.Branch);
        Assert.True(via.HasRport);
        var contact = Assert.Single(invite.Addresses(HeaderId.Contact));
        Assert.Equal("udp", contact.Uri.Transport);
        Assert.Equal("application/sdp", invite.ContentType);
        Assert.Equal(258, invite.Body.Length);
        Assert.StartsWith("v=0", Encoding.ASCII.GetString(invite.Body.Span), StringComparison.Ordinal);
        Assert.Equal(["INVITE", "ACK", "CANCEL", "OPTIONS", "BYE", "REFER", "NOTIFY", "INFO", "UPDATE", "PRACK"], invite.GetHeaders(HeaderId.Allow));
        Assert.Equal("ExampleSoftphone/5.4.2 (Linux x86_64)", invite.GetHeader("user-agent"));
    }

    [Fact]
    public void Parses_a_response_status_line()
    {
        var response = TestMessages.Parse(TestMessages.Response(486));
        Assert.False(response.IsRequest);
        Assert.Equal(486, response.StatusCode);
        Assert.Equal("Whatever", response.ReasonPhrase);
        Assert.Equal(SipMethod.Invite, response.CSeq.Method);
        Assert.Equal("b1", response.To.Tag);
    }

    [Fact]
    public void Compact_forms_and_any_letter_case_name_the_same_headers()
    {
        var message = TestMessages.Parse("""
            OPTIONS sip:bob@example.com SIP/2.0
            v: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bK-c
            f: <sip:alice@example.com>;tag=1
            t: <sip:bob@example.com>
            i: compact@example.com
            cSeQ: 9 OPTIONS
            mAX-fORWARDS: 5
            m: <sip:alice@10.0.0.1>
            k: timer
            l: 0


            """);

        Assert.Equal("compact@example.com", message.CallId);
        Assert.Equal(9u, message.CSeq.Number);
        Assert.Equal(5, message.MaxForwards);
        Assert.Equal("TCP", message.TopVia.Transport);
        Assert.Equal("1", message.From.Tag);
        Assert.Equal("timer", message.GetHeader(HeaderId.Supported));
        Assert.Single(message.Addresses(HeaderId.Contact));
        Assert.Equal("compact@example.com", message.GetHeader("Call-ID"));
        Assert.Equal("compact@example.com", message.GetHeader("i"));
    }

    [Fact]
    public void Folded_header_lines_read_as_one_value()
    {
        var message = TestMessages.Parse("""
            MESSAGE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-f
            From: <sip:alice@example.com>;tag=1
            To: <sip:bob@example.com>
            Call-ID: folded@example.com
            CSeq: 1 MESSAGE
            Subject: first part
              second part
            	third part
            Content-Length: 0


            """);

        var subject = message.GetHeader(HeaderId.Subject)!;
        Assert.Equal("first part second part third part", string.Join(' ', subject.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("folded@example.com", message.CallId);
    }

    [Fact]
    public void Several_values_on_one_line_and_on_several_lines_keep_their_order()
    {
        var message = TestMessages.Parse("""
            INVITE sip:bob@example.com SIP/2.0
            Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK-1, SIP/2.0/TCP p2.example.com:5070;branch=z9hG4bK-2
            Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK-3;received=192.0.2.1
            From: <sip:alice@example.com>;tag=1
            To: <sip:bob@example.com>
            Call-ID: lists@example.com
            CSeq: 1 INVITE
            Route: <sip:p1.example.com;lr>,<sip:p2.example.com;lr>
            Contact: "Doe, John" <sip:john@10.0.0.1>;q=0.5, <sip:john@10.0.0.2>;expires=60
            Content-Length: 0


            """);

        Assert.Equal(["p1.example.com", "p2.example.com", "10.0.0.1"], message.Vias.Select(v => v.Host));
        Assert.Equal("192.0.2.1", message.Vias[2].Received);
        Assert.Equal(5070, message.Vias[1].Port);
        Assert.Equal(2, message.Addresses(HeaderId.Route).Count);
        var contacts = message.Addresses(HeaderId.Contact);
        Assert.Equal("Doe, John", contacts[0].DisplayName);
        Assert.Equal("0.5", contacts[0].Parameters["q"]);
        Assert.Equal("60", contacts[1].Parameters["expires"]);
    }

    [Fact]
    public void A_value_that_starts_with_a_bare_cr_is_refused_not_indexed()
    {
        var text = TestMessages.Invite().Replace("Content-Length: 0", "X-Odd: value\nContent-Length: 0", StringComparison.Ordinal);
        var bytes = TestMessages.Bytes(text);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("X-Odd: value", StringComparison.Ordinal) + "X-Odd: ".Length;
        bytes[at - 1] = (byte)'\r'; // "X-Odd:\rvalue": CR only ends a line with its LF (ControlCharacterTests)

        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.ControlCharacter), failure);
    }

    [Fact]
    public void Content_length_shorter_than_the_datagram_bounds_the_body()
    {
        var message = TestMessages.Parse(TestMessages.Request("MESSAGE").Replace("Content-Length: 0", "Content-Length: 5", StringComparison.Ordinal) + "helloEXTRA");
        Assert.Equal("hello", Encoding.ASCII.GetString(message.Body.Span));
    }

    [Fact]
    public void Leading_blank_lines_before_the_start_line_are_ignored()
    {
        var message = TestMessages.Parse("\n\n" + TestMessages.Invite());
        Assert.Equal(SipMethod.Invite, message.Method);

        var unknown = TestMessages.Parse("\n\n" + TestMessages.Request("FOO", toTag: ""));
        Assert.Equal(SipMethod.Unknown, unknown.Method);
        Assert.Equal("FOO", unknown.MethodName);
    }

    [Theory]
    [InlineData("Call-ID: call-1@test\n", "", SipParseError.MissingHeader, HeaderId.CallId)]
    [InlineData("CSeq: 1 INVITE", "CSeq: one INVITE", SipParseError.MalformedHeaderValue, HeaderId.CSeq)]
    [InlineData("CSeq: 1 INVITE", "CSeq: 1 BYE", SipParseError.CSeqMethodMismatch, HeaderId.CSeq)]
    [InlineData("Max-Forwards: 70", "Max-Forwards: seventy", SipParseError.MalformedHeaderValue, HeaderId.MaxForwards)]
    [InlineData("Content-Length: 0", "Content-Length: 40", SipParseError.BodyShorterThanContentLength, HeaderId.ContentLength)]
    [InlineData("Content-Length: 0", "Content-Length: -1", SipParseError.MalformedHeaderValue, HeaderId.ContentLength)]
    [InlineData("Call-ID: call-1@test", "Call-ID: call-1@test\nCall-ID: other@test", SipParseError.DuplicateHeader, HeaderId.CallId)]
    [InlineData("Max-Forwards: 70", "Max-Forwards 70", SipParseError.MalformedHeaderLine, HeaderId.Unknown)]
    [InlineData("SIP/2.0\n", "SIP/3.0\n", SipParseError.UnsupportedVersion, HeaderId.Unknown)]
    [InlineData("INVITE sip:bob@127.0.0.1:5060 SIP/2.0", "INVITE  SIP/2.0", SipParseError.MalformedStartLine, HeaderId.Unknown)]
    public void Malformed_requests_fail_with_a_reason_naming_the_problem(string find, string replace, SipParseError error, HeaderId header)
    {
        var bytes = TestMessages.Bytes(TestMessages.Invite().Replace(find, replace, StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(new SipParseFailure(error, header), failure);
        Assert.NotEqual(0, SipRejections.StatusCode(failure));
    }

    [Fact]
    public void Reason_phrases_name_the_header_and_map_to_the_rfc_status()
    {
        Assert.Equal("Bad Request - Missing Call-ID", new SipParseFailure(SipParseError.MissingHeader, HeaderId.CallId).Describe());
        Assert.Equal(505, SipRejections.StatusCode(new SipParseFailure(SipParseError.UnsupportedVersion)));
        Assert.Equal(513, SipRejections.StatusCode(new SipParseFailure(SipParseError.TooLarge)));
        Assert.Equal(0, SipRejections.StatusCode(new SipParseFailure(SipParseError.KeepAlive)));
    }

    [Fact]
    public void Oversized_messages_are_rejected_not_grown_into()
    {
        var huge = TestMessages.Invite().Replace("Content-Length: 0", "Subject: " + new string('x', SipLimits.MaxMessageBytes), StringComparison.Ordinal);
        Assert.False(SipParser.TryParse(TestMessages.Bytes(huge), out _, out var failure));
        Assert.Equal(SipParseError.TooLarge, failure.Error);
    }

    [Fact]
    public void Overlong_header_lines_and_request_uris_are_rejected()
    {
        var longLine = TestMessages.Invite().Replace("Content-Length: 0", "Subject: " + new string('x', SipLimits.MaxHeaderLineBytes) + "\nContent-Length: 0", StringComparison.Ordinal);
        Assert.False(SipParser.TryParse(TestMessages.Bytes(longLine), out _, out var failure));
        Assert.Equal(SipParseError.HeaderLineTooLong, failure.Error);

        var longUri = TestMessages.Invite().Replace("sip:bob@127.0.0.1:5060 SIP/2.0", "sip:" + new string('b', SipLimits.MaxRequestUriBytes) + "@127.0.0.1 SIP/2.0", StringComparison.Ordinal);
        Assert.False(SipParser.TryParse(TestMessages.Bytes(longUri), out _, out failure));
        Assert.Equal(414, SipRejections.StatusCode(failure));
    }

    [Fact]
    public void Too_many_header_lines_are_rejected()
    {
        var many = string.Concat(Enumerable.Repeat("X-Filler: 1\n", SipLimits.MaxHeaderLines));
        var text = TestMessages.Invite().Replace("Content-Length: 0\n", many + "Content-Length: 0\n", StringComparison.Ordinal);
        Assert.False(SipParser.TryParse(TestMessages.Bytes(text), out _, out var failure));
        Assert.Equal(SipParseError.TooManyHeaders, failure.Error);
    }

    [Theory]
    [InlineData("\r\n\r\n")]
    [InlineData("\r\n")]
    public void Crlf_keep_alives_are_not_messages(string bytes)
    {
        Assert.False(SipParser.TryParse(Encoding.ASCII.GetBytes(bytes), out _, out var failure));
        Assert.Equal(SipParseError.KeepAlive, failure.Error);
    }

    [Fact]
    public void A_malformed_via_is_found_before_anything_acts_on_the_message()
    {
        var message = TestMessages.Parse(TestMessages.Invite().Replace("SIP/2.0/UDP 127.0.0.1:5070", "SIP/2.0/UDP", StringComparison.Ordinal));
        Assert.False(message.TryParseDialogHeaders(out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.MalformedHeaderValue, HeaderId.Via), failure);
    }

    [Fact]
    public void Stream_parsing_requires_content_length()
    {
        var text = TestMessages.Invite().Replace("Content-Length: 0\n", "", StringComparison.Ordinal);
        Assert.True(SipParser.TryParse(TestMessages.Bytes(text), isStream: false, out _, out _));
        Assert.False(SipParser.TryParse(TestMessages.Bytes(text), isStream: true, out _, out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.MissingHeader, HeaderId.ContentLength), failure);
    }
}
