using CallControl.Grains;
using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using CallControl.Sip.Parsing;
using CallControl.Sip.Transport;

namespace CallControl.Grains.Tests;

/// <summary>REGISTERs of alice's phone (a TCP binding on edge-test) and their digest answers, as the registrar tests send them.</summary>
internal static class RegisterRequests
{
    public static readonly SipPeer Phone = new(SipTransportKind.Tcp, "127.0.0.1", 5080, ConnectionId: 7, EdgeId: "edge-test");
    public static readonly EdgeInfo Edge = new("edge-test", "127.0.0.1", 5060, 5060, 5061);

    /// <summary>The answer to one of the challenges with alice's name and the given password.</summary>
    public static string Answer(IEnumerable<DigestChallenge> challenges, string password, string aor)
    {
        Assert.True(DigestClient.TryChoose(challenges, out var chosen));
        return DigestClient.Answer(chosen, "alice", password, "REGISTER", "sip:example.com").ToHeaderValue();
    }

    public static SipInbound Register(string aor, uint cseq, string contact, int expires, string? authorization = null)
    {
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:example.com")
            .Add(HeaderId.Via, $"SIP/2.0/TCP 127.0.0.1:5080;branch=z9hG4bK-reg-{cseq}-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<{aor}>;tag=reg")
            .Add(HeaderId.To, $"<{aor}>")
            .Add(HeaderId.CallId, "register-alice@127.0.0.1")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, contact)
            .Add(HeaderId.Expires, expires);
        if (authorization is not null)
        {
            builder.Add(HeaderId.Authorization, authorization);
        }

        return new SipInbound(builder.ToArray(), Phone, Edge);
    }

    public static SipMessage Parse(SipCommand[] commands) => SipParser.ParseTrusted(Assert.Single(commands).Message);
}
