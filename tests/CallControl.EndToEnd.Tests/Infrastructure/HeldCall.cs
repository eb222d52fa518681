using System.Diagnostics;
using System.Text;
using CallControl.FaultProbe.Media;
using CallControl.Media.Tests.Infrastructure;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using static CallControl.EndToEnd.Tests.Infrastructure.UdpCalls;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// An anchored call held between a caller phone of its own and a callee phone shared by the test's calls, each party
/// streaming RTP to where the SDP it got says, and following a re-INVITE that moves the media.
/// </summary>
internal sealed class HeldCall : IDisposable
{
    private readonly UdpPhone _caller;
    private readonly RtpStream _callerMedia = new(0x1111);
    private readonly RtpStream _calleeMedia = new(0x2222);
    private SipMessage _ok = null!;
    private string _calleeCallId = "";

    private HeldCall(int nodePort, string callId)
    {
        _caller = new UdpPhone(nodePort);
        CallId = callId;
    }

    public string CallId { get; }

    /// <summary>Places the call, answers it on <paramref name="callee"/> and starts both parties' media.</summary>
    public static async Task<HeldCall> PlaceAsync(int nodePort, UdpPhone callee, string callId)
    {
        var call = new HeldCall(nodePort, callId);
        try
        {
            await call.SetUpAsync(nodePort, callee);
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private async Task SetUpAsync(int nodePort, UdpPhone callee)
    {
        await _caller.SendAsync(Request(_caller, "held-caller", SipMethod.Invite, $"sip:1000@127.0.0.1:{nodePort}", CallId, 1, toTag: null)
            .Body(Encoding.ASCII.GetBytes(_callerMedia.Sdp("caller")), "application/sdp").ToArray());
        var invite = await NextAsync(callee, m => m.Method == SipMethod.Invite);
        _calleeCallId = invite.CallId;
        await callee.SendAsync(SipResponses.Create(invite, 200, toTag: "held-callee")
            .Add(HeaderId.Contact, $"<sip:callee@127.0.0.1:{callee.LocalPort}>")
            .Body(Encoding.ASCII.GetBytes(_calleeMedia.Sdp("callee")), "application/sdp").ToArray());
        _ok = await NextAsync(_caller, m => m.StatusCode >= 200);
        Assert.Equal(200, _ok.StatusCode);
        await _caller.SendAsync(InDialog(_caller, "held-caller", SipMethod.Ack, CallId, 1, _ok).ToArray());
        await NextAsync(callee, m => m.Method == SipMethod.Ack && m.CallId == _calleeCallId);
        _calleeMedia.SendTo(SdpText.Audio(Encoding.ASCII.GetString(invite.Body.Span)));
        _callerMedia.SendTo(SdpText.Audio(Encoding.ASCII.GetString(_ok.Body.Span)));
    }

    /// <summary>Whether <paramref name="request"/> is on this call's callee leg.</summary>
    public bool IsCalleeLeg(SipMessage request) => request.CallId == _calleeCallId;

    /// <summary>Both parties received <paramref name="packets"/> packets since <paramref name="since"/> (bounded wait).</summary>
    public async Task<bool> FlowsAsync(int packets, long since)
        => await _callerMedia.WaitForAsync(packets, since, TimeSpan.FromSeconds(10)) && await _calleeMedia.WaitForAsync(packets, since, TimeSpan.FromSeconds(10));

    /// <summary>The longer of the two parties' longest silence since <paramref name="since"/>.</summary>
    public TimeSpan LongestGapSince(long since)
    {
        var a = _callerMedia.LongestGapSince(since);
        var b = _calleeMedia.LongestGapSince(since);
        return a > b ? a : b;
    }

    /// <summary>
    /// Takes the re-INVITEs that moved the media: <paramref name="calleeReinvite"/> (already received by the shared
    /// callee phone <paramref name="callee"/>) and the caller's own; each SDP must be <paramref name="to"/>'s, each
    /// party sends there from now on and answers with its own SDP (a new session version); the ACKs must come.
    /// </summary>
    public async Task TakeReinvitesAsync(UdpPhone callee, SipMessage calleeReinvite, RtpengineProcess to)
    {
        var toReinvite = await NextAsync(_caller, m => m.Method == SipMethod.Invite);
        foreach (var (phone, reinvite, media, user) in new[] { (callee, calleeReinvite, _calleeMedia, "callee"), (_caller, toReinvite, _callerMedia, "caller") })
        {
            var target = SdpText.Audio(Encoding.ASCII.GetString(reinvite.Body.Span));
            Assert.InRange(target.Port, to.PortMin, to.PortMax);
            media.SendTo(target);
            await phone.SendAsync(SipResponses.Create(reinvite, 200)
                .Add(HeaderId.Contact, $"<sip:{user}@127.0.0.1:{phone.LocalPort}>")
                .Body(Encoding.ASCII.GetBytes(media.Sdp(user, version: 2)), "application/sdp").ToArray());
            var ack = await NextAsync(phone, m => m.Method == SipMethod.Ack && m.CallId == reinvite.CallId);
            Assert.Equal(reinvite.CSeq.Number, ack.CSeq.Number);
        }
    }

    /// <summary>The caller hangs up; the callee answers the BYE; the caller gets its 200.</summary>
    public async Task HangUpAsync(UdpPhone callee)
    {
        await _caller.SendAsync(InDialog(_caller, "held-caller", SipMethod.Bye, CallId, 2, _ok).ToArray());
        var bye = await NextAsync(callee, m => m.Method == SipMethod.Bye && m.CallId == _calleeCallId);
        await callee.SendAsync(SipResponses.Simple(bye, 200));
        Assert.Equal(200, (await NextAsync(_caller, m => m.StatusCode >= 200 && m.CSeq.Method == SipMethod.Bye)).StatusCode);
    }

    public void Dispose()
    {
        _callerMedia.Dispose();
        _calleeMedia.Dispose();
        _caller.Dispose();
    }
}
