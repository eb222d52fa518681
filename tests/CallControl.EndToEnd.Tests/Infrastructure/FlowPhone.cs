using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// One phone (a user, one Call-ID for its registrations, CSeq counting up) that registers over whichever TCP or TLS
/// connection it has now: after its edge dies it connects again and re-registers, as real phones do. With an
/// <see cref="Instance"/> it registers as an RFC 5626 outbound client (Supported: outbound, +sip.instance, reg-id=1).
/// </summary>
internal sealed class FlowPhone(string user, string password, bool tls = false)
{
    private uint _cseq;

    public string User => user;

    /// <summary>The Call-ID of every REGISTER this phone sends (RFC 3261 §10.2.4: the same one for a boot cycle).</summary>
    public string RegistrationCallId { get; } = $"{user}-flows-{Guid.NewGuid():N}";

    /// <summary>The RFC 5626 instance id (<c>urn:uuid:...</c>); null: a phone that does not do outbound.</summary>
    public string? Instance { get; init; }

    /// <summary>"tcp" or "tls": the Contact's transport parameter and the Via's.</summary>
    public string Transport => tls ? "tls" : "tcp";

    /// <summary>The Contact URI for a flow whose phone-side port is <paramref name="port"/>.</summary>
    public string ContactUri(int port) => $"sip:{user}@127.0.0.1:{port};transport={Transport}";

    /// <summary>
    /// REGISTERs over <paramref name="flow"/> with the Contact at <paramref name="contactPort"/> (a phone that keeps
    /// its Contact names the first connection's port again; one whose socket changed names the new one), answers the
    /// 401 with digest, and returns the final response.
    /// </summary>
    public async Task<SipMessage> RegisterAsync(StreamPeer flow, int contactPort)
    {
        var challenge = await SendRegisterAsync(flow, contactPort, authorization: null);
        if (challenge.StatusCode != 401)
        {
            return challenge;
        }

        Assert.True(DigestClient.TryChoose(challenge.GetChallenges(HeaderId.WwwAuthenticate), out var chosen), challenge.ToString());
        return await SendRegisterAsync(flow, contactPort, DigestClient.Answer(chosen, user, password, "REGISTER", "sip:127.0.0.1").ToHeaderValue());
    }

    private async Task<SipMessage> SendRegisterAsync(StreamPeer flow, int contactPort, string? authorization)
    {
        var cseq = ++_cseq;
        var contact = $"<{ContactUri(contactPort)}>";
        var builder = SipMessageBuilder.Request(SipMethod.Register, "sip:127.0.0.1")
            .Add(HeaderId.Via, $"SIP/2.0/{Transport.ToUpperInvariant()} 127.0.0.1:{flow.LocalPort};branch=z9hG4bK-flow-{cseq}-{Guid.NewGuid():N};rport")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<sip:{user}@127.0.0.1>;tag={user}-flows")
            .Add(HeaderId.To, $"<sip:{user}@127.0.0.1>")
            .Add(HeaderId.CallId, RegistrationCallId)
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, Instance is null ? contact : $"{contact};+sip.instance=\"<{Instance}>\";reg-id=1")
            .Add(HeaderId.Expires, 600);
        if (Instance is not null)
        {
            builder.Add(HeaderId.Supported, "outbound");
        }

        if (authorization is not null)
        {
            builder.Add(HeaderId.Authorization, authorization);
        }

        await flow.SendAsync(builder.ToArray());
        return await NextResponseAsync(flow, SipMethod.Register);
    }

    /// <summary>The next response to <paramref name="method"/> on the flow, past provisionals (a bounded number of messages).</summary>
    public static async Task<SipMessage> NextResponseAsync(StreamPeer flow, SipMethod method)
    {
        for (var i = 0; i < 10; i++)
        {
            var message = await flow.ReceiveMessageAsync();
            if (!message.IsRequest && message.StatusCode >= 200 && message.CSeq.Method == method)
            {
                return message;
            }
        }

        throw new TimeoutException($"no final response to {method.Name()} on the flow");
    }
}
