using CallControl.Sip.Tests.Messages;

namespace CallControl.Edge.Tests.Routing;

/// <summary>
/// SIP messages for the router's tests, written with \n line ends (the harness sends CRLF): the SIP tests' own
/// (<see cref="TestMessages"/>, compiled in here too), and those only the router needs.
/// </summary>
internal static class RouterMessages
{
    public static string Invite(string callId = "call-1@test", string branch = "z9hG4bK-i1", uint cseq = 1)
        => TestMessages.Invite(branch, "UDP", callId, cseq);

    public static string InDialog(string method, string callId = "call-1@test", string branch = "z9hG4bK-d1", uint cseq = 2)
        => TestMessages.Request(method, branch, callId, cseq, toTag: ";tag=b1");

    public static string Register(string user = "alice") => $"""
        REGISTER sip:example.com SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-r1
        Max-Forwards: 70
        From: <sip:{user}@example.com>;tag=r1
        To: <sip:{user}@example.com>
        Call-ID: reg-1@test
        CSeq: 1 REGISTER
        Contact: <sip:{user}@127.0.0.1:5070>
        Expires: 3600
        Content-Length: 0


        """;

    /// <summary>A callee's response to a request the edge sent (no client transaction here claims it: a stray).</summary>
    public static string Response(int status, string callId, string method = "INVITE") => $"""
        SIP/2.0 {status} Whatever
        Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-out1
        From: "Alice" <sip:alice@127.0.0.1:5060>;tag=e1
        To: <sip:bob@127.0.0.1:5090>;tag=c1
        Call-ID: {callId}
        CSeq: 1 {method}
        Content-Length: 0


        """;
}
