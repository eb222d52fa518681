using System.Text;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;

namespace CallControl.Sip.Tests.Messages;

/// <summary>Messages for tests, written with \n line ends for readability and sent with CRLF.</summary>
internal static class TestMessages
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    public static SipMessage Parse(string text)
    {
        Assert.True(SipParser.TryParse(Bytes(text), out var message, out var failure), $"parse failed: {failure.Describe()}");
        return message;
    }

    public static string Invite(string branch = "z9hG4bK-1", string transport = "UDP", string callId = "call-1@test", uint cseq = 1) => $"""
        INVITE sip:bob@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/{transport} 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>
        Call-ID: {callId}
        CSeq: {cseq} INVITE
        Contact: <sip:alice@127.0.0.1:5070>
        Content-Length: 0


        """;

    public static string Request(string method, string branch = "z9hG4bK-2", string callId = "call-1@test", uint cseq = 2, string toTag = ";tag=b1") => $"""
        {method} sip:bob@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>{toTag}
        Call-ID: {callId}
        CSeq: {cseq} {method}
        Content-Length: 0


        """;

    public static string Response(int status, string method = "INVITE", string branch = "z9hG4bK-1", uint cseq = 1, string toTag = ";tag=b1") => $"""
        SIP/2.0 {status} Whatever
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>{toTag}
        Call-ID: call-1@test
        CSeq: {cseq} {method}
        Content-Length: 0


        """;
}
