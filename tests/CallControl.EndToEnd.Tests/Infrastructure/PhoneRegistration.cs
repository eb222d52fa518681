using CallControl.Sip.Auth;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>A test phone's REGISTER to the registrar at its own loopback (127.0.0.1 or [::1], <see cref="ISipPhone.Host"/>), answered with the project's own digest client.</summary>
internal static class PhoneRegistration
{
    private static uint _cseq;

    /// <summary>The phone's Contact for <paramref name="user"/>: where it says it is; transport=tcp over TCP and TLS, transport=ws over WS and WSS (as JsSIP writes it).</summary>
    public static string Contact(ISipPhone phone, string user) => phone.Transport switch
    {
        "udp" => $"<sip:{user}@{phone.SentBy}>",
        "ws" or "wss" => $"<sip:{user}@{phone.SentBy};transport=ws>",
        _ => $"<sip:{user}@{phone.SentBy};transport=tcp>",
    };

    /// <summary>
    /// A REGISTER for <paramref name="user"/>, answered; with a password, the answer to <paramref name="challenge"/>:
    /// to its challenge of <paramref name="algorithm"/>, or without one to the first the client can answer.
    /// </summary>
    public static async Task<SipMessage> RegisterAsync(ISipPhone phone, string user, string? password, SipMessage? challenge = null, DigestAlgorithm? algorithm = null)
    {
        var cseq = Interlocked.Increment(ref _cseq);
        var host = phone.Host;
        var builder = SipMessageBuilder.Request(SipMethod.Register, $"sip:{host}")
            .Add(HeaderId.Via, $"SIP/2.0/{phone.Transport.ToUpperInvariant()} {phone.SentBy};branch=z9hG4bK-register-{cseq}-{Guid.NewGuid():N}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"<sip:{user}@{host}>;tag={user}-reg")
            .Add(HeaderId.To, $"<sip:{user}@{host}>")
            .Add(HeaderId.CallId, $"{user}-registration-{phone.Transport}-{phone.LocalPort}")
            .Add(HeaderId.CSeq, $"{cseq} REGISTER")
            .Add(HeaderId.Contact, Contact(phone, user))
            .Add(HeaderId.Expires, 600);
        if (password is not null && challenge is not null)
        {
            var offered = challenge.GetChallenges(HeaderId.WwwAuthenticate);
            var chosen = algorithm is { } wanted
                ? offered.First(c => c.TryGetAlgorithm(out var a) && a == wanted)
                : DigestClient.TryChoose(offered, out var first) ? first : throw new InvalidOperationException("No challenge the client can answer.");
            builder.Add(HeaderId.Authorization, DigestClient.Answer(chosen, user, password, "REGISTER", $"sip:{host}").ToHeaderValue());
        }

        await phone.SendAsync(builder.ToArray());
        return await phone.ReceiveMessageAsync();
    }

    /// <summary>
    /// The registered phone answers <paramref name="invite"/> with 200 and <paramref name="sdp"/> under its Contact for
    /// <paramref name="user"/>, takes the ACK, then the caller's BYE, which it answers: a call rung at a binding, end to end.
    /// </summary>
    public static async Task AnswerUntilByeAsync(ISipPhone phone, SipMessage invite, string user, string sdp)
    {
        await phone.SendAsync(SipResponses.Create(invite, 200, toTag: $"{user}-phone").Add(HeaderId.Contact, Contact(phone, user))
            .Body(System.Text.Encoding.ASCII.GetBytes(sdp), "application/sdp").ToArray());
        Assert.Equal(SipMethod.Ack, (await phone.ReceiveMessageAsync()).Method);
        var bye = await phone.ReceiveMessageAsync();
        Assert.Equal(SipMethod.Bye, bye.Method);
        await phone.SendAsync(SipResponses.Simple(bye, 200));
    }
}
