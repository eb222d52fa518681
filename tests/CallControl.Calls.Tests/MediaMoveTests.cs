using System.Text;
using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// An answered call whose rtpengine died moves its media (docs/media.md, "When an rtpengine dies"): the session is made
/// again from both parties' last SDPs, and each party gets a re-INVITE of the call's own with the new rtpengine's SDP.
/// </summary>
public sealed class MediaMoveTests : IDisposable
{
    private const string CallerSdp = MediaAnchorTests.CallerSdp;
    private const string CalleeSdp = MediaAnchorTests.CalleeSdp;
    private readonly CallHost _calls = new(anchorMedia: true);

    public void Dispose() => _calls.Dispose();

    private List<MediaRequest> Requests => [.. _calls.Media.Requests];

    private static string Body(SipMessage message) => Encoding.ASCII.GetString(message.Body.Span);

    private async Task<(CallScript Call, string CallerTag)> ConfirmedAsync()
    {
        var call = new CallScript(_calls, $"move-{Guid.NewGuid():N}@127.0.0.1", withOffer: true);
        await call.InviteAsync();
        var ok = CallScript.Parse((await call.CalleeRespondsWithSdpAsync(200, CalleeSdp)).Single(c => c.Kind == SipCommandKind.Respond));
        await call.CallerSendsAsync("ACK", 1, ok.To.Tag!);
        return (call, ok.To.Tag!);
    }

    /// <summary>The two re-INVITEs a move sends: on the callee leg (its own Call-ID) and on the caller's (the call's).</summary>
    private static (SipMessage ToCallee, SipMessage ToCaller) Reinvites(CallScript call, SipCommand[] commands)
    {
        var sent = commands.Where(c => c.Kind == SipCommandKind.Request).Select(CallScript.Parse).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(SipMethod.Invite, m.Method));
        return (sent.Single(m => m.CallId != call.CallId), sent.Single(m => m.CallId == call.CallId));
    }

    [Fact]
    public async Task The_media_moves_from_both_parties_last_sdps_and_each_party_gets_a_reinvite_with_the_new_rtpengines_sdp()
    {
        var (call, _) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        var lost = machine.State.MediaEngine!;

        var commands = await machine.RunAsync(new MediaLost(lost));

        var reanchor = Requests[^1];
        Assert.Equal(new MediaRequest(MediaKind.Reanchor, "alice-tag", "bob-tag", CallerSdp, "127.0.0.1") { AnswerSdp = CalleeSdp, AnswerSource = "127.0.0.1" }, reanchor);
        Assert.Equal(FakeMediaRelay.Spare, machine.State.MediaEngine);
        var (toCallee, toCaller) = Reinvites(call, commands);
        Assert.Equal(FakeMediaRelay.Rewrite(reanchor), Body(toCallee));
        Assert.Equal(FakeMediaRelay.RewriteAnswer(reanchor).Replace("o=relay 1 7 ", "o=relay 1 8 ", StringComparison.Ordinal), Body(toCaller)); // the version grew
        Assert.Equal("application/sdp", toCallee.ContentType);
        Assert.NotNull(toCaller.GetHeader("Contact"));
        Assert.Equal("bob-tag", toCallee.To.Tag);
        Assert.Equal("alice-tag", toCaller.To.Tag);
        Assert.Equal(2, machine.State.Relays.Count);
    }

    [Fact]
    public async Task Each_party_s_2xx_to_the_calls_own_reinvite_is_acknowledged_and_nothing_is_relayed_to_the_other()
    {
        var (call, _) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        var (toCallee, toCaller) = Reinvites(call, await machine.RunAsync(new MediaLost(machine.State.MediaEngine!)));

        var fromCallee = await call.CalleeAnswersAsync(toCallee, 200, body: CalleeSdp);
        var fromCaller = await call.CallerAnswersAsync(toCaller, 200);

        var ackToCallee = CallScript.Parse(Assert.Single(fromCallee));
        Assert.Equal(SipMethod.Ack, ackToCallee.Method);
        Assert.Equal(toCallee.CSeq.Number, ackToCallee.CSeq.Number);
        var ackToCaller = CallScript.Parse(Assert.Single(fromCaller));
        Assert.Equal(SipMethod.Ack, ackToCaller.Method);
        Assert.Equal(toCaller.CSeq.Number, ackToCaller.CSeq.Number);
        Assert.Empty(machine.State.Relays);
    }

    [Fact]
    public async Task A_refused_reinvite_is_given_up_and_the_call_goes_on()
    {
        var (call, callerTag) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        var (toCallee, _) = Reinvites(call, await machine.RunAsync(new MediaLost(machine.State.MediaEngine!)));

        Assert.Empty(await call.CalleeAnswersAsync(toCallee, 488));

        Assert.Single(machine.State.Relays); // the caller's is still open
        await call.CallerSendsAsync("BYE", 2, callerTag);
        Assert.Equal(CallDisposition.Answered, Assert.Single(_calls.Cdrs(call.CallId)).Disposition);
    }

    [Fact]
    public async Task A_call_on_another_rtpengine_is_left_alone()
    {
        var (call, _) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        var before = Requests.Count;

        Assert.Empty(await machine.RunAsync(new MediaLost("127.0.0.9:2223")));

        Assert.Equal(before, Requests.Count);
    }

    [Fact]
    public async Task A_call_with_an_offer_in_flight_is_left_for_the_next_pass()
    {
        var (call, callerTag) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        await call.CallerSendsAsync("INVITE", 2, callerTag, body: "v=0\r\no=hold\r\n");
        var before = Requests.Count;

        Assert.Empty(await machine.RunAsync(new MediaLost(machine.State.MediaEngine!)));

        Assert.Equal(before, Requests.Count);
        Assert.Equal("v=0\r\no=hold\r\n", machine.State.CallerSdp); // the re-INVITE's offer is the caller's last SDP now
    }

    [Fact]
    public async Task A_call_not_yet_answered_is_left_for_the_next_pass()
    {
        var call = new CallScript(_calls, $"move-{Guid.NewGuid():N}@127.0.0.1", withOffer: true);
        await call.InviteAsync();
        await call.CalleeRespondsWithSdpAsync(183, CalleeSdp); // early media: no re-INVITE before the answer
        var machine = _calls.Call(call.CallId);
        var before = Requests.Count;

        Assert.Empty(await machine.RunAsync(new MediaLost(machine.State.MediaEngine!)));

        Assert.Equal(before, Requests.Count);
    }

    [Fact]
    public async Task No_rtpengine_to_move_to_leaves_the_call_as_it_was()
    {
        var (call, _) = await ConfirmedAsync();
        var machine = _calls.Call(call.CallId);
        var lost = machine.State.MediaEngine!;
        _calls.Media.Down = true;

        Assert.Empty(await machine.RunAsync(new MediaLost(lost)));

        Assert.Equal(lost, machine.State.MediaEngine);
        Assert.Equal(0, machine.State.MediaMoves);
        Assert.Empty(machine.State.Relays);
    }
}
