namespace CallControl.Sip.Tests.Transactions;

/// <summary>Messages the transaction tests need beyond <see cref="Messages.TestMessages"/>.</summary>
internal static class TxMessages
{
    /// <summary>
    /// An INVITE (or its ACK) with a free-form Via parameter list, as RFC 2543 peers send it: no branch, or
    /// one without the magic cookie.
    /// </summary>
    public static string LegacyInvite(string viaParameters, string callId = "call-2543@test", string method = "INVITE") => $"""
        {method} sip:bob@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/UDP 127.0.0.1:5070{viaParameters}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>
        Call-ID: {callId}
        CSeq: 1 {method}
        Contact: <sip:alice@127.0.0.1:5070>
        Content-Length: 0


        """;

    /// <summary>
    /// An ACK as a UAC sends it: for a non-2xx with the INVITE's branch (hop by hop), for a 2xx with a new
    /// branch and the remote target as Request-URI (end to end, RFC 3261 §13.2.2.4, §17.1.1.3).
    /// </summary>
    public static string Ack(string branch, string requestUri = "sip:bob@127.0.0.1:5060", string callId = "call-1@test", uint cseq = 1, string transport = "UDP") => $"""
        ACK {requestUri} SIP/2.0
        Via: SIP/2.0/{transport} 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>;tag=b1
        Call-ID: {callId}
        CSeq: {cseq} ACK
        Content-Length: 0


        """;

    /// <summary>A CANCEL for <see cref="Messages.TestMessages.Invite"/>: its Request-URI, branch, Call-ID and CSeq number.</summary>
    public static string Cancel(string branch = "z9hG4bK-1", string transport = "UDP") => $"""
        CANCEL sip:bob@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/{transport} 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>
        Call-ID: call-1@test
        CSeq: 1 CANCEL
        Content-Length: 0


        """;

    /// <summary>A non-INVITE request with a chosen transport in its Via.</summary>
    public static string Request(string method, string transport, string branch = "z9hG4bK-2") => $"""
        {method} sip:bob@127.0.0.1:5060 SIP/2.0
        Via: SIP/2.0/{transport} 127.0.0.1:5070;branch={branch}
        Max-Forwards: 70
        From: "Alice" <sip:alice@127.0.0.1:5070>;tag=a1
        To: <sip:bob@127.0.0.1:5060>;tag=b1
        Call-ID: call-1@test
        CSeq: 2 {method}
        Content-Length: 0


        """;
}
