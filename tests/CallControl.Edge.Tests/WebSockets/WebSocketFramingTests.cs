using System.Net;
using System.Text;
using CallControl.Edge.WebSockets;

namespace CallControl.Edge.Tests.WebSockets;

/// <summary>
/// One SIP message per WebSocket message (RFC 7118 §5.1): pieces joined within the size limit, an oversized message
/// refused as soon as it passes the limit, keep-alives told from SIP; the handshake's checks; the connection limits.
/// </summary>
public sealed class WebSocketFramingTests
{
    private static readonly byte[] Options = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n");

    [Fact]
    public void A_message_in_one_piece_is_whole_at_once()
    {
        var assembler = new MessageAssembler(65_535);

        Assert.Equal(AssemblyStatus.Complete, assembler.Append(Options, endOfMessage: true, out var message));
        Assert.Equal(Options, message);
    }

    [Fact]
    public void Pieces_are_joined_into_one_message_and_the_next_starts_afresh()
    {
        var assembler = new MessageAssembler(65_535);

        Assert.Equal(AssemblyStatus.NeedMore, assembler.Append(Options.AsSpan(0, 10), endOfMessage: false, out var none));
        Assert.Null(none);
        Assert.Equal(AssemblyStatus.NeedMore, assembler.Append(Options.AsSpan(10, 5), endOfMessage: false, out _));
        Assert.Equal(AssemblyStatus.Complete, assembler.Append(Options.AsSpan(15), endOfMessage: true, out var message));
        Assert.Equal(Options, message);
        Assert.Equal(AssemblyStatus.Complete, assembler.Append("x"u8, endOfMessage: true, out var next));
        Assert.Equal("x"u8.ToArray(), next);
    }

    [Fact]
    public void A_message_is_refused_as_soon_as_it_passes_the_limit_before_its_end()
    {
        var assembler = new MessageAssembler(1024);
        var piece = new byte[600];

        Assert.Equal(AssemblyStatus.NeedMore, assembler.Append(piece, endOfMessage: false, out _));
        Assert.Equal(AssemblyStatus.TooBig, assembler.Append(piece, endOfMessage: false, out var message));
        Assert.Null(message);
    }

    [Fact]
    public void A_message_of_exactly_the_limit_passes()
    {
        var assembler = new MessageAssembler(1024);

        Assert.Equal(AssemblyStatus.NeedMore, assembler.Append(new byte[1000], endOfMessage: false, out _));
        Assert.Equal(AssemblyStatus.Complete, assembler.Append(new byte[24], endOfMessage: true, out var message));
        Assert.Equal(1024, message!.Length);
    }

    [Theory]
    [InlineData("\r\n\r\n", "Ping")]
    [InlineData("\r\n", "Blank")]
    [InlineData("", "Blank")]
    [InlineData("\r\n\r\n\r\n", "Blank")]
    [InlineData("\r\nOPTIONS sip:a@b SIP/2.0\r\n\r\n", "Sip")]
    [InlineData("garbage", "Sip")] // the parser judges it (400 where it can answer)
    public void A_whole_message_is_told_apart(string text, string kind)
        => Assert.Equal(Enum.Parse<MessageKind>(kind), MessageAssembler.Classify(Encoding.ASCII.GetBytes(text)));

    [Theory]
    [InlineData(false, new[] { "sip" }, null, "NotWebSocket", 426)]
    [InlineData(true, new string[0], null, "NoSipSubprotocol", 400)]
    [InlineData(true, new[] { "SIP" }, null, "NoSipSubprotocol", 400)]
    [InlineData(true, new[] { "chat" }, null, "NoSipSubprotocol", 400)]
    [InlineData(true, new[] { "chat", "sip" }, "https://app.example.com", "None", 0)]
    [InlineData(true, new[] { "sip" }, "https://evil.example", "Origin", 403)]
    public void A_handshake_needs_the_sip_subprotocol_and_an_allowed_origin(bool isWebSocket, string[] protocols, string? origin, string refusal, int status)
    {
        var judged = HandshakeCheck.Judge(isWebSocket, protocols, origin, new OriginPolicy(["https://app.example.com"]));

        Assert.Equal(Enum.Parse<HandshakeRefusal>(refusal), judged);
        if (judged != HandshakeRefusal.None)
        {
            Assert.Equal(status, HandshakeCheck.StatusCode(judged));
        }
    }

    [Fact]
    public void Connections_are_limited_per_source_and_in_all_and_a_closed_one_frees_its_place()
    {
        var counter = new ConnectionCounter(maxTotal: 3, maxPerSource: 2);
        var a = IPAddress.Parse("192.0.2.1");
        var b = IPAddress.Parse("192.0.2.2");
        var c = IPAddress.Parse("192.0.2.3");

        Assert.Equal(ConnectionAdmission.Admitted, counter.TryAdd(a));
        Assert.Equal(ConnectionAdmission.Admitted, counter.TryAdd(a));
        Assert.Equal(ConnectionAdmission.SourceLimit, counter.TryAdd(a));
        Assert.Equal(ConnectionAdmission.Admitted, counter.TryAdd(b));
        Assert.Equal(ConnectionAdmission.TotalLimit, counter.TryAdd(c));

        counter.Remove(a);
        Assert.Equal(2, counter.Total);
        Assert.Equal(ConnectionAdmission.Admitted, counter.TryAdd(c));
        counter.Remove(IPAddress.Parse("198.51.100.9")); // never admitted: nothing changes
        Assert.Equal(3, counter.Total);
    }
}
