using System.Buffers;
using System.Text;
using CallControl.Sip.Headers;
using CallControl.Sip.Parsing;
using CallControl.Sip.Stack;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Parsing;

/// <summary>
/// Control characters RFC 3261's grammar does not allow (every C0 but HTAB, DEL, a bare CR or LF) make a request a
/// 400 that names the header, never a message anything acts on; where the grammar allows them (HTAB, a quoted-pair in
/// a quoted string or comment, UTF-8 above 0x7F) the message parses as before. Content-Length frames nothing with one.
/// </summary>
public sealed class ControlCharacterTests
{
    // Every refused octet: NUL, the other C0 controls (a few of each kind), bare LF and CR, DEL.
    public static TheoryData<byte> Refused => [0x00, 0x01, 0x07, 0x08, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x1B, 0x1F, 0x7F];

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_control_character_in_a_header_value_is_a_400_naming_the_header(byte control)
    {
        foreach (var (header, id) in new[] { ("Subject: hello", HeaderId.Subject), ("Call-ID: call-1@test", HeaderId.CallId), ("To: <sip:bob@127.0.0.1:5060>", HeaderId.To), ("Contact: <sip:alice@127.0.0.1:5070>", HeaderId.Contact) })
        {
            var bytes = WithHeader(header, at: header.Length - 2, control);

            Assert.False(SipParser.TryParse(bytes, out _, out var failure), $"{header} with 0x{control:X2} was accepted");
            Assert.Equal(new SipParseFailure(SipParseError.ControlCharacter, id), failure);
            Assert.Equal(400, SipRejections.StatusCode(failure));
            Assert.Equal($"Bad Request - Control Character in {HeaderTable.Get(id)!.Name}", failure.Describe());
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_control_character_in_content_length_is_a_400_naming_it_over_udp_and_over_a_stream(byte control)
    {
        foreach (var at in new[] { 0, 1 }) // before and after the digit
        {
            var bytes = WithHeader("Content-Length: 0", at: "Content-Length: ".Length + at, control);

            foreach (var isStream in new[] { false, true })
            {
                Assert.False(SipParser.TryParse(bytes, isStream, out _, out var failure));
                Assert.Equal(new SipParseFailure(SipParseError.ControlCharacter, HeaderId.ContentLength), failure);
            }
        }
    }

    [Theory]
    [InlineData("Content-Length: 5#", 0x0D)]  // a bare CR before the line's CRLF, which trimming used to hide
    [InlineData("Content-Length: #5", 0x0A)]  // a bare LF
    [InlineData("Content-Length: 5#", 0x00)]
    [InlineData("Content-Length:#5", 0x0B)]
    [InlineData("Content-Length: 5#", (byte)'x')]
    public void A_stream_whose_content_length_holds_anything_but_digits_and_blanks_cannot_be_framed(string line, byte octet)
    {
        var text = TestMessages.Request("MESSAGE").Replace("Content-Length: 0", line, StringComparison.Ordinal) + "hello";
        var bytes = TestMessages.Bytes(text);
        bytes[Array.IndexOf(bytes, (byte)'#')] = octet; // put in after the CRLF conversion, which would turn a CR into a line end
        var buffer = new ReadOnlySequence<byte>(bytes);

        Assert.Equal(FrameStatus.Invalid, StreamFramer.TryFrame(ref buffer, out _));
    }

    [Fact]
    public void Content_length_with_blanks_around_its_digits_still_frames()
    {
        var text = TestMessages.Request("MESSAGE").Replace("Content-Length: 0", "Content-Length: \t5 ", StringComparison.Ordinal) + "hello";
        var buffer = new ReadOnlySequence<byte>(TestMessages.Bytes(text));

        Assert.Equal(FrameStatus.Message, StreamFramer.TryFrame(ref buffer, out var message));
        Assert.True(SipParser.TryParse(message, isStream: true, out var parsed, out var failure), failure.Describe());
        Assert.Equal("hello", Encoding.ASCII.GetString(parsed.Body.Span));
    }

    [Fact]
    public void An_extension_header_with_a_nul_is_a_400_that_says_a_header_value()
    {
        var bytes = WithHeader("X-Custom: abc", at: "X-Custom: a".Length, 0x00);

        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.ControlCharacter, HeaderId.Unknown), failure);
        Assert.Equal("Bad Request - Control Character in Header Value", failure.Describe());
    }

    [Theory]
    [InlineData("INVITE sip:bob@127.0.0.1:5060 SIP/2.0", 6)]     // in the Request-Line's white space
    [InlineData("INVITE sip:bob@127.0.0.1:5060 SIP/2.0", 11)]    // in the Request-URI
    public void A_control_character_in_the_start_line_is_a_malformed_start_line(string line, int at)
    {
        var bytes = WithHeader(line, at, 0x00);

        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.MalformedStartLine), failure);
    }

    [Fact]
    public void A_response_with_a_control_character_in_its_reason_phrase_is_not_accepted()
    {
        var bytes = TestMessages.Bytes(TestMessages.Response(200).Replace("Whatever", "What\u0007ever", StringComparison.Ordinal));
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(SipParseError.MalformedStartLine, failure.Error);
    }

    [Theory]
    [InlineData("Subject: tab\there")]                                             // HTAB is white space
    [InlineData("To: \"BEL:\\\u0007 NUL:\\\0 DEL:\\\u007f\" <sip:bob@127.0.0.1:5060>")] // quoted-pairs (RFC 4475 intmeth)
    [InlineData("User-Agent: phone/1.0 (build \\\0 (nested \\\u001b))")]               // quoted-pairs in a comment
    [InlineData("Subject: caf\u00e9 \u65e5\u672c")]                                 // UTF-8
    public void What_the_grammar_allows_still_parses(string header)
    {
        var prefix = header[..header.IndexOf(':', StringComparison.Ordinal)];
        var original = prefix switch
        {
            "To" => "To: <sip:bob@127.0.0.1:5060>",
            _ => "Content-Length: 0",
        };
        var text = TestMessages.Invite().Replace(original, prefix == "To" ? header : header + "\nContent-Length: 0", StringComparison.Ordinal);

        Assert.True(SipParser.TryParse(TestMessages.Bytes(text), out var message, out var failure), failure.Describe());
        Assert.NotNull(message.GetHeader(prefix));
    }

    [Theory]
    [InlineData("Subject: escaped \\\0 outside quotes")]           // a quoted-pair only counts inside quotes or a comment
    [InlineData("Subject: \"a quoted-pair of CR \\\r\"")]           // quoted-pair excludes CR and LF
    [InlineData("Contact: <sip:a\"\\\0\"@127.0.0.1>")]             // quotes inside <...> are not a quoted string
    [InlineData("Subject: \"closed\" then \0")]
    public void A_control_character_outside_a_quoted_pair_is_refused(string header)
    {
        var text = TestMessages.Invite().Replace("Content-Length: 0", header + "\nContent-Length: 0", StringComparison.Ordinal);

        Assert.False(SipParser.TryParse(TestMessages.Bytes(text), out _, out var failure));
        Assert.Equal(SipParseError.ControlCharacter, failure.Error);
    }

    [Fact]
    public void A_folded_line_is_still_one_value_and_not_a_bare_line_end()
    {
        var text = TestMessages.Invite().Replace("Content-Length: 0", "Subject: first\n\tsecond\nContent-Length: 0", StringComparison.Ordinal);
        Assert.True(SipParser.TryParse(TestMessages.Bytes(text), out var message, out var failure), failure.Describe());
        Assert.StartsWith("first", message.GetHeader(HeaderId.Subject), StringComparison.Ordinal);
    }

    [Fact]
    public void The_400_names_the_header_and_echoes_no_control_character()
    {
        var bytes = WithHeader("To: <sip:bob@127.0.0.1:5060>", at: 4, 0x00);
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));

        var response = Encoding.UTF8.GetString(MalformedRequestResponder.TryBuild(bytes, failure)!);

        Assert.StartsWith("SIP/2.0 400 Bad Request - Control Character in To\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Call-ID: call-1@test\r\n", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", response, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nTo:", response, StringComparison.Ordinal);
    }

    [Fact]
    public void A_via_with_a_control_character_leaves_nowhere_to_answer()
    {
        var bytes = WithHeader("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1", at: 10, 0x1B);
        Assert.False(SipParser.TryParse(bytes, out _, out var failure));
        Assert.Equal(new SipParseFailure(SipParseError.ControlCharacter, HeaderId.Via), failure);

        Assert.Null(MalformedRequestResponder.TryBuild(bytes, failure));
    }

    // The test INVITE with one octet inserted at index at of a line (added before Content-Length if the INVITE lacks it).
    private static byte[] WithHeader(string line, int at, byte control)
    {
        var text = TestMessages.Invite();
        if (!text.Contains(line, StringComparison.Ordinal))
        {
            text = text.Replace("Content-Length: 0", line + "\nContent-Length: 0", StringComparison.Ordinal);
        }

        var bytes = TestMessages.Bytes(text).ToList();
        var start = Encoding.ASCII.GetString([.. bytes]).IndexOf(line, StringComparison.Ordinal);
        Assert.True(start >= 0, line);
        bytes.Insert(start + at, control);
        return [.. bytes];
    }
}
