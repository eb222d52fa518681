using System.Buffers;
using System.Text;
using CallControl.Sip.Parsing;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Sip.Tests.Transport;

public sealed class StreamFramerTests
{
    [Fact]
    public void Frames_back_to_back_messages_by_content_length()
    {
        var first = TestMessages.Bytes(TestMessages.Request("MESSAGE").Replace("Content-Length: 0", "Content-Length: 5", StringComparison.Ordinal) + "hello");
        var second = TestMessages.Bytes(TestMessages.Invite());
        var buffer = new ReadOnlySequence<byte>([.. first, .. second]);

        Assert.Equal(FrameStatus.Message, StreamFramer.TryFrame(ref buffer, out var one));
        Assert.Equal(first, one);
        Assert.Equal(FrameStatus.Message, StreamFramer.TryFrame(ref buffer, out var two));
        Assert.Equal(second, two);
        Assert.True(buffer.IsEmpty);
        Assert.True(SipParser.TryParse(one, isStream: true, out var parsed, out _));
        Assert.Equal("hello", Encoding.ASCII.GetString(parsed.Body.Span));
    }

    [Fact]
    public void Waits_for_the_rest_of_a_partial_message()
    {
        var whole = TestMessages.Bytes(TestMessages.Request("MESSAGE").Replace("Content-Length: 0", "Content-Length: 5", StringComparison.Ordinal) + "hello");
        var partial = new ReadOnlySequence<byte>(whole.AsMemory(0, whole.Length - 2));
        Assert.Equal(FrameStatus.NeedMore, StreamFramer.TryFrame(ref partial, out _));
        Assert.Equal(whole.Length - 2, partial.Length);

        var headersOnly = new ReadOnlySequence<byte>(whole.AsMemory(0, 30));
        Assert.Equal(FrameStatus.NeedMore, StreamFramer.TryFrame(ref headersOnly, out _));
    }

    [Fact]
    public void Crlf_keep_alives_are_pings_and_pongs()
    {
        var ping = new ReadOnlySequence<byte>("\r\n\r\n"u8.ToArray());
        Assert.Equal(FrameStatus.Ping, StreamFramer.TryFrame(ref ping, out _));
        Assert.True(ping.IsEmpty);

        var pongThenMessage = new ReadOnlySequence<byte>([.. "\r\n"u8.ToArray(), .. TestMessages.Bytes(TestMessages.Invite())]);
        Assert.Equal(FrameStatus.Pong, StreamFramer.TryFrame(ref pongThenMessage, out _));
        Assert.Equal(FrameStatus.Message, StreamFramer.TryFrame(ref pongThenMessage, out _));
    }

    [Fact]
    public void A_stream_without_content_length_cannot_be_framed()
    {
        var bytes = TestMessages.Bytes(TestMessages.Invite().Replace("Content-Length: 0\n", "", StringComparison.Ordinal));
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameStatus.Invalid, StreamFramer.TryFrame(ref buffer, out _));
    }

    [Fact]
    public void Endless_headers_are_invalid_past_the_size_limit()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("INVITE sip:x SIP/2.0\r\nX: " + new string('a', SipLimits.MaxMessageBytes + 10)));
        Assert.Equal(FrameStatus.Invalid, StreamFramer.TryFrame(ref buffer, out _));
    }
}
