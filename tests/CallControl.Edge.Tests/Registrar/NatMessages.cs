using System.Net;
using CallControl.Grains;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Tests.Messages;
using CallControl.Sip.Transport;

namespace CallControl.Edge.Tests.Registrar;

/// <summary>A phone at 10.0.0.5:5060 behind a NAT whose public side is <see cref="Source"/>, its REGISTERs and the registrar's answers.</summary>
internal static class NatMessages
{
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The router's public address and port, as the edge sees the phone.</summary>
    public static readonly SipEndPoint Source = Udp("203.0.113.7", 20001);

    public const string Contact = "sip:alice@10.0.0.5:5060";

    public static SipEndPoint Udp(string address, int port) => new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse(address), port));

    /// <summary>A REGISTER of <paramref name="user"/> with <paramref name="contact"/> (as written after "Contact: ") and an Expires header if given.</summary>
    public static SipMessage Register(string user = "alice", string contact = "<" + Contact + ">", string? expires = "3600", string via = "10.0.0.5:5060")
        => TestMessages.Parse($"""
            REGISTER sip:example.com SIP/2.0
            Via: SIP/2.0/UDP {via};branch=z9hG4bK-reg{user};rport
            Max-Forwards: 70
            From: <sip:{user}@example.com>;tag=r1
            To: <sip:{user}@Example.com>
            Call-ID: reg-{user}@10.0.0.5
            CSeq: 2 REGISTER
            Contact: {contact}
            {(expires is null ? "" : "Expires: " + expires + "\n")}Content-Length: 0


            """);

    /// <summary>The registrar's answer, as its grain returns it: <paramref name="status"/> listing <paramref name="bindings"/> (Contact values).</summary>
    public static SipCommand[] Answer(SipMessage register, int status, params string[] bindings)
    {
        var builder = SipResponses.Create(register, status, null, "registrar");
        foreach (var binding in bindings)
        {
            builder.Add(Sip.Headers.HeaderId.Contact, binding);
        }

        return [new SipCommand(SipCommandKind.Respond, builder.ToArray(), new SipPeer(SipTransportKind.Udp, "203.0.113.7", 20001))];
    }

    /// <summary>The phone's answer to a keep-alive: any status, the request's Via, From, To, Call-ID and CSeq.</summary>
    public static byte[] AnswerTo(SipMessage options, int status = 200)
        => SipResponses.Create(options, status, null, "phone").ToArray();

    public static SipMessage Parsed(ReadOnlyMemory<byte> bytes) => SipParser.ParseTrusted(bytes.ToArray());
}
