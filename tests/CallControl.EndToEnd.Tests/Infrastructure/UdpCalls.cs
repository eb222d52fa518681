using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>The steps of a call between the tests' own UDP phones and a node: one place for what several tests play.</summary>
internal static class UdpCalls
{
    /// <summary>The offer (and, from the callee, the answer) the phones send.</summary>
    public const string Sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40006 RTP/AVP 0\r\n";

    /// <summary>The next message <paramref name="phone"/> receives that is a request or a final response.</summary>
    public static Task<SipMessage> NextFinalAsync(UdpPhone phone) => NextAsync(phone, m => m.StatusCode is 0 or >= 200);

    /// <summary>The next message <paramref name="phone"/> receives that is <paramref name="wanted"/>; the others are passed over.</summary>
    public static async Task<SipMessage> NextAsync(UdpPhone phone, Func<SipMessage, bool> wanted)
    {
        SipMessage message;
        do
        {
            message = await phone.ReceiveMessageAsync();
        }
        while (!wanted(message));

        return message;
    }

    /// <summary>The callee's 200 to <paramref name="invite"/>, with its Contact and an SDP answer.</summary>
    public static byte[] Answer(UdpPhone callee, SipMessage invite, string toTag)
        => SipResponses.Create(invite, 200, toTag: toTag)
            .Add(HeaderId.Contact, $"<sip:callee@127.0.0.1:{callee.LocalPort}>")
            .Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp")
            .ToArray();

    /// <summary>A new call's INVITE from <paramref name="caller"/> (named <paramref name="name"/>) to user 1000, with or without the offer.</summary>
    public static byte[] Invite(UdpPhone caller, string name, string callId, bool withOffer = true)
    {
        var invite = Request(caller, name, SipMethod.Invite, $"sip:1000@127.0.0.1:{caller.NodePort}", callId, 1, toTag: null);
        return withOffer ? invite.Body(System.Text.Encoding.ASCII.GetBytes(Sdp), "application/sdp").ToArray() : invite.ToArray();
    }

    /// <summary>A request in the dialog the caller's 200 <paramref name="ok"/> set up, to its Contact.</summary>
    public static SipMessageBuilder InDialog(UdpPhone caller, string name, SipMethod method, string callId, uint cseq, SipMessage ok)
        => Request(caller, name, method, Assert.Single(ok.Addresses(HeaderId.Contact)).Uri.ToString(), callId, cseq, ok.To.Tag);

    /// <summary>A request from <paramref name="phone"/> over UDP, its From tag and user <paramref name="name"/>.</summary>
    public static SipMessageBuilder Request(UdpPhone phone, string name, SipMethod method, string uri, string callId, uint cseq, string? toTag)
        => PhoneRequests.Build(method, uri, "UDP", phone.LocalPort, name, callId, cseq, toTag, $"sip:caller@127.0.0.1:{phone.LocalPort}");
}
