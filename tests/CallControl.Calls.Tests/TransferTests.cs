using System.Text;
using CallControl.Grains;
using CallControl.Grains.Tests;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Calls.Tests;

/// <summary>
/// Blind transfer by the callee (REFER, RFC 3515), handled by the B2BUA: 202 and NOTIFYs with sipfrag to the
/// transferor, a new leg to the target offered the caller's media, and on its answer the transferor released and the
/// caller re-INVITEd toward the new party; on a failure the call goes on (docs/call-flows.md, "Transfers").
/// </summary>
public sealed class TransferTests : IDisposable
{
    private const string CarolSdp = "v=0\r\no=carol 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
    private static readonly EdgeInfo Edge = new("edge-test", "127.0.0.1", 5060, 5060, 5061, null);
    private readonly CallHost _calls = new(new CallOptions { RingTimeout = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromHours(1) });

    public void Dispose() => _calls.Dispose();

    private async Task<(CallScript Call, string CallerTag)> AnsweredCallAsync(CallHost? host = null)
    {
        var call = new CallScript(host ?? _calls, $"xfer-{Guid.NewGuid():N}@127.0.0.1");
        var ok = await call.AnswerAsync();
        return (call, ok.To.Tag!);
    }

    /// <summary>An answered call whose callee's 200 carried <paramref name="calleeSdp"/>; returns the caller's tag.</summary>
    private static async Task<(CallScript Call, string CallerTag)> AnsweredWithSdpAsync(CallHost host, string calleeSdp, string? callerOffer = null)
    {
        var id = $"xfer-{Guid.NewGuid():N}@127.0.0.1";
        var call = callerOffer is null ? new CallScript(host, id) : new CallScript(host, id) { CallerOffer = callerOffer };

        await call.InviteAsync();
        var callerTag = CallScript.Parse((await call.CalleeRespondsWithSdpAsync(200, calleeSdp)).Single(c => c.Kind == SipCommandKind.Respond)).To.Tag!;
        await call.CallerSendsAsync("ACK", 1, callerTag);
        return (call, callerTag);
    }

    /// <summary>A REFER from the answered callee, in its dialog.</summary>
    private static Task<SipCommand[]> CalleeRefersAsync(CallHost host, CallScript call, uint cseq, params string[] headerLines)
    {
        var invite = call.CalleeInvite!;
        var builder = SipMessageBuilder.Request(SipMethod.Refer, "sip:edge@127.0.0.1:5060")
            .Add(HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK-callee-refer-{cseq}")
            .Add(HeaderId.MaxForwards, 70)
            .Add(HeaderId.From, $"{Encoding.UTF8.GetString(invite.RawValue(HeaderId.To))};tag=bob-tag")
            .AddRaw(HeaderId.To, invite.RawValue(HeaderId.From))
            .Add(HeaderId.CallId, invite.CallId)
            .Add(HeaderId.CSeq, $"{cseq} REFER")
            .Add(HeaderId.Contact, "<sip:bob@127.0.0.1:5090>");
        foreach (var line in headerLines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            builder.Add(line[..colon], line[(colon + 1)..].Trim());
        }

        return host.Call(call.CallId).OnRequest(new SipInbound(builder.ToArray(), CallScript.Callee, Edge));
    }

    private static List<SipMessage> Requests(SipCommand[] commands, string method)
        => [.. commands.Where(c => c.Kind is SipCommandKind.Request or SipCommandKind.Ack).Select(CallScript.Parse).Where(m => m.MethodName == method)];

    private static SipMessage Response(SipCommand[] commands)
        => CallScript.Parse(Assert.Single(commands, c => c.Kind == SipCommandKind.Respond));

    private static string Body(SipMessage message) => Encoding.ASCII.GetString(message.Body.Span);

    private static void AssertNotify(SipMessage notify, string callId, string fragment, string subscriptionState)
    {
        Assert.Equal(callId, notify.CallId);
        Assert.Equal("refer;id=2", notify.GetHeader(HeaderId.Event));
        Assert.StartsWith(subscriptionState, notify.GetHeader(HeaderId.SubscriptionState), StringComparison.Ordinal);
        Assert.Equal("message/sipfrag;version=2.0", notify.ContentType);
        Assert.Equal(fragment + "\r\n", Body(notify));
        Assert.NotNull(notify.GetHeader(HeaderId.Contact));
    }

    /// <summary>The REFER is accepted and the target's INVITE goes: returns that INVITE.</summary>
    private async Task<SipMessage> AcceptedTransferAsync(CallScript call, params string[] extra)
    {
        var saves = _calls.Call(call.CallId).Saves;
        var commands = await CalleeRefersAsync(_calls, call, 2, ["Refer-To: <sip:9000@127.0.0.1>", "Referred-By: <sip:bob@127.0.0.1:5090>", .. extra]);

        Assert.Equal(202, Response(commands).StatusCode);
        AssertNotify(Assert.Single(Requests(commands, "NOTIFY")), call.CalleeInvite!.CallId, "SIP/2.0 100 Trying", "active;expires=");
        Assert.True(_calls.Call(call.CallId).Saves > saves); // the transfer is durable before the 202 and the INVITE go
        var state = _calls.Call(call.CallId).State;
        Assert.Equal(state.Transfer!.Deadline, CallDeadlines.WakeUpDue(state)); // a reminder wakes it if its silo dies
        var invite = Assert.Single(Requests(commands, "INVITE"));
        Assert.Equal("sip:9000@127.0.0.1:5090", invite.RequestUri); // the default route's target, with the Refer-To's user
        Assert.NotEqual(call.CalleeInvite!.CallId, invite.CallId);
        Assert.Equal(call.CallerOffer.Replace("\n", "\r\n", StringComparison.Ordinal), Body(invite)); // the transferee's media
        return invite;
    }

    [Fact]
    public async Task A_callees_blind_transfer_rings_the_target_and_on_its_answer_releases_the_transferor_and_reinvites_the_caller()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        var transferor = call.CalleeInvite!;
        var target = await AcceptedTransferAsync(call);

        var ringing = await call.LegRespondsAsync(target, 180, toTag: "carol-tag", contact: "<sip:carol@127.0.0.1:5091>");
        AssertNotify(Assert.Single(Requests(ringing, "NOTIFY")), transferor.CallId, "SIP/2.0 180 Ringing", "active");

        var answered = await call.LegRespondsWithSdpAsync(target, 200, "carol-tag", CarolSdp);

        var ack = Assert.Single(Requests(answered, "ACK"));
        Assert.Equal(target.CallId, ack.CallId);
        AssertNotify(Assert.Single(Requests(answered, "NOTIFY")), transferor.CallId, "SIP/2.0 200 OK", "terminated;reason=noresource");
        var bye = Assert.Single(Requests(answered, "BYE"));
        Assert.Equal(transferor.CallId, bye.CallId);
        var reinvite = Assert.Single(Requests(answered, "INVITE"));
        Assert.Equal(call.CallId, reinvite.CallId);
        Assert.Equal(callerTag, reinvite.From.Tag);
        Assert.Equal(CarolSdp, Body(reinvite));
        var sent = answered.Where(c => c.Kind is SipCommandKind.Request).Select(CallScript.Parse).Select(m => m.MethodName).ToList();
        Assert.True(sent.IndexOf("NOTIFY") < sent.IndexOf("BYE")); // the transferor hears the outcome before its BYE
        var state = _calls.Call(call.CallId).State;
        Assert.Null(state.Transfer);
        Assert.Equal(target.CallId, state.Answered!.CallId);

        var reinviteAck = Assert.Single(await call.CallerAnswersAsync(reinvite, 200));
        Assert.Equal(SipCommandKind.Ack, reinviteAck.Kind);

        // The caller now talks to the target: its BYE goes there, and the one CDR names the transfer.
        var hangUp = await call.CallerSendsAsync("BYE", 3, callerTag);
        Assert.Equal(target.CallId, Assert.Single(Requests(hangUp, "BYE")).CallId);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal("sip:9000@127.0.0.1:5090", cdr.CalleeRouted);
        var transfer = Assert.Single(cdr.Transfers!);
        Assert.Equal(new CallTransferRecord { At = transfer.At, By = "callee", From = "sip:1000@127.0.0.1:5090", To = "sip:9000@127.0.0.1:5090" }, transfer);
    }

    [Fact]
    public async Task A_busy_target_is_notified_to_the_transferor_and_the_call_goes_on_with_it()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        var transferor = call.CalleeInvite!;
        var target = await AcceptedTransferAsync(call);

        var busy = await call.LegRespondsAsync(target, 486, toTag: "carol-tag");

        AssertNotify(Assert.Single(Requests(busy, "NOTIFY")), transferor.CallId, "SIP/2.0 486 Busy Here", "terminated;reason=noresource");
        Assert.Empty(Requests(busy, "BYE"));
        Assert.Null(_calls.Call(call.CallId).State.Transfer);
        var hangUp = await call.CallerSendsAsync("BYE", 3, callerTag);
        Assert.Equal(transferor.CallId, Assert.Single(Requests(hangUp, "BYE")).CallId);
        Assert.Null(Assert.Single(_calls.Cdrs(call.CallId)).Transfers);
    }

    [Fact]
    public async Task A_target_that_never_answers_is_cancelled_at_the_ring_timeout_and_the_transferor_hears_480()
    {
        var (call, _) = await AnsweredCallAsync();
        var target = await AcceptedTransferAsync(call);
        await call.LegRespondsAsync(target, 180, toTag: "carol-tag");

        var timeout = await _calls.TimerAsync(call.CallId);

        Assert.Equal(target.CallId, Assert.Single(Requests(timeout, "CANCEL")).CallId);
        AssertNotify(Assert.Single(Requests(timeout, "NOTIFY")), call.CalleeInvite!.CallId, "SIP/2.0 480 Temporarily Unavailable", "terminated");
        Assert.Equal(DialogPhase.Confirmed, _calls.Call(call.CallId).State.Phase);
    }

    [Fact]
    public async Task A_transferor_that_hangs_up_after_the_202_is_not_notified_and_the_target_still_takes_the_call()
    {
        var (call, _) = await AnsweredCallAsync();
        var target = await AcceptedTransferAsync(call);

        var bye = await call.CalleeSendsByeAsync();
        Assert.Equal(200, Response(bye).StatusCode);
        Assert.Empty(Requests(bye, "BYE")); // the caller stays: it is being transferred

        var answered = await call.LegRespondsWithSdpAsync(target, 200, "carol-tag", CarolSdp);
        Assert.Empty(Requests(answered, "NOTIFY"));
        Assert.Empty(Requests(answered, "BYE"));
        Assert.Equal(call.CallId, Assert.Single(Requests(answered, "INVITE")).CallId);
        Assert.Equal(DialogPhase.Confirmed, _calls.Call(call.CallId).State.Phase);
    }

    [Fact]
    public async Task A_failed_transfer_whose_transferor_hung_up_ends_the_call()
    {
        var (call, _) = await AnsweredCallAsync();
        var target = await AcceptedTransferAsync(call);
        await call.CalleeSendsByeAsync();

        var failed = await call.LegRespondsAsync(target, 404, toTag: "carol-tag");

        Assert.Equal(call.CallId, Assert.Single(Requests(failed, "BYE")).CallId);
        Assert.Empty(Requests(failed, "NOTIFY"));
        Assert.Equal(HangupParty.Callee, Assert.Single(_calls.Cdrs(call.CallId)).HungUpBy);
    }

    [Fact]
    public async Task The_caller_hanging_up_during_a_transfer_cancels_the_target_and_releases_the_transferor()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        var target = await AcceptedTransferAsync(call);
        await call.LegRespondsAsync(target, 180, toTag: "carol-tag");

        var hangUp = await call.CallerSendsAsync("BYE", 3, callerTag);

        Assert.Equal(call.CalleeInvite!.CallId, Assert.Single(Requests(hangUp, "BYE")).CallId);
        Assert.Equal(target.CallId, Assert.Single(Requests(hangUp, "CANCEL")).CallId);
        Assert.Single(_calls.Cdrs(call.CallId));
    }

    [Fact]
    public async Task A_refer_without_one_refer_to_gets_400_one_naming_an_unknown_dialog_to_replace_481_and_a_second_one_491()
    {
        var (call, _) = await AnsweredCallAsync();

        Assert.Equal(400, Response(await CalleeRefersAsync(_calls, call, 2)).StatusCode);
        Assert.Equal(481, Response(await CalleeRefersAsync(_calls, call, 3, "Refer-To: <sip:9000@127.0.0.1?Replaces=abc%3Bto-tag%3Dx%3Bfrom-tag%3Dy>")).StatusCode);
        Assert.Equal(400, Response(await CalleeRefersAsync(_calls, call, 3, "Refer-To: <sip:9000@127.0.0.1?Replaces=abc%3Bto-tag%3Dx>")).StatusCode);
        Assert.Equal(400, Response(await CalleeRefersAsync(_calls, call, 4, "Refer-To: <tel:+4930123>")).StatusCode);

        await CalleeRefersAsync(_calls, call, 5, "Refer-To: <sip:9000@127.0.0.1>");
        Assert.Equal(491, Response(await CalleeRefersAsync(_calls, call, 6, "Refer-To: <sip:9001@127.0.0.1>")).StatusCode);
    }

    [Fact]
    public async Task An_attended_transfer_dials_the_far_party_of_the_transferors_other_call_with_a_replaces_naming_its_dialog_there()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        var transferor = call.CalleeInvite!;
        var consultation = new CallScript(_calls, $"consult-{Guid.NewGuid():N}@127.0.0.1");
        var consulted = await consultation.AnswerAsync(); // the transferor called the target through us: its far party answered
        var farLeg = consultation.CalleeInvite!;
        var replaces = Uri.EscapeDataString($"{consultation.CallId};to-tag={consulted.To.Tag};from-tag=alice-tag");

        var commands = await CalleeRefersAsync(_calls, call, 2, $"Refer-To: <sip:carol@127.0.0.1?Replaces={replaces}>");

        Assert.Equal(202, Response(commands).StatusCode);
        var invite = Assert.Single(Requests(commands, "INVITE"));
        Assert.Equal("sip:bob@127.0.0.1:5090", invite.RequestUri); // the consultation's callee, at its Contact
        Assert.Equal($"{farLeg.CallId};to-tag=bob-tag;from-tag={farLeg.From.Tag}", invite.GetHeader("Replaces")); // its dialog, as it sees it
        Assert.True(_calls.Call(call.CallId).State.Transfer!.Attended);

        var answered = await call.LegRespondsWithSdpAsync(invite, 200, "carol-tag", CarolSdp);

        AssertNotify(Assert.Single(Requests(answered, "NOTIFY")), transferor.CallId, "SIP/2.0 200 OK", "terminated;reason=noresource");
        Assert.Equal(transferor.CallId, Assert.Single(Requests(answered, "BYE")).CallId);
        Assert.Equal(call.CallId, Assert.Single(Requests(answered, "INVITE")).CallId); // the caller re-INVITEd toward the far party

        // The far party replaced its dialog (RFC 3891 §3): it hangs up the consultation, which ends with its caller's BYE.
        var replaced = await consultation.CalleeSendsByeAsync();
        Assert.Equal(consultation.CallId, Assert.Single(Requests(replaced, "BYE")).CallId);
        Assert.Equal(HangupParty.Callee, Assert.Single(_calls.Cdrs(consultation.CallId)).HungUpBy);
        Assert.True(Assert.Single(_calls.Call(call.CallId).State.Transfers).Attended); // the call's one CDR will say so

        await call.CallerSendsAsync("BYE", 3, callerTag);
        Assert.True(Assert.Single(Assert.Single(_calls.Cdrs(call.CallId)).Transfers!).Attended);
    }

    [Fact]
    public async Task Refer_sub_false_gets_no_notifies()
    {
        var (call, _) = await AnsweredCallAsync();

        var commands = await CalleeRefersAsync(_calls, call, 2, "Refer-To: <sip:9000@127.0.0.1>", "Refer-Sub: false");

        var accepted = Response(commands);
        Assert.Equal(202, accepted.StatusCode);
        Assert.Equal("false", accepted.GetHeader("Refer-Sub"));
        Assert.Empty(Requests(commands, "NOTIFY"));
        Assert.Single(Requests(commands, "INVITE"));
    }

    [Fact]
    public async Task A_callers_blind_transfer_leaves_its_callee_talking_to_the_target_on_the_callers_side()
    {
        const string BobSdp = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
        var (call, callerTag) = await AnsweredWithSdpAsync(_calls, BobSdp);
        var bob = call.CalleeInvite!;

        var refer = await call.CallerSendsWithAsync("REFER", 2, callerTag, "Refer-To: <sip:9000@127.0.0.1>", "Contact: <sip:alice@127.0.0.1:5070>");

        Assert.Equal(202, Response(refer).StatusCode);
        AssertNotify(Assert.Single(Requests(refer, "NOTIFY")), call.CallId, "SIP/2.0 100 Trying", "active");
        var target = Assert.Single(Requests(refer, "INVITE"));
        Assert.Equal(BobSdp, Body(target)); // the transferee is the callee: its media is offered

        var answered = await call.LegRespondsWithSdpAsync(target, 200, "carol-tag", CarolSdp);

        AssertNotify(Assert.Single(Requests(answered, "NOTIFY")), call.CallId, "SIP/2.0 200 OK", "terminated");
        var released = Assert.Single(Requests(answered, "BYE"));
        Assert.Equal(call.CallId, released.CallId); // the caller leaves
        var reinvite = Assert.Single(Requests(answered, "INVITE"));
        Assert.Equal(bob.CallId, reinvite.CallId); // the callee stays, toward the target's media
        Assert.Equal(CarolSdp, Body(reinvite));
        Assert.Single(await call.CalleeAnswersAsync(reinvite, 200, body: BobSdp), c => c.Kind == SipCommandKind.Ack);

        // The callee is on the caller's side now: its requests reach the target, and its BYE ends the call.
        var info = Assert.Single(Requests(await call.CalleeSendsAsync("INFO", 2, body: "Signal=5\r\n"), "INFO"));
        Assert.Equal(target.CallId, info.CallId);
        Assert.Equal(481, Response(await call.CallerSendsAsync("INFO", 3, callerTag)).StatusCode); // the released caller's dialog is gone
        var hangUp = await call.CalleeSendsByeAsync();
        Assert.Equal(200, Response(hangUp).StatusCode);
        Assert.Equal(target.CallId, Assert.Single(Requests(hangUp, "BYE")).CallId);
        var cdr = Assert.Single(_calls.Cdrs(call.CallId));
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
        var transfer = Assert.Single(cdr.Transfers!);
        Assert.Equal(("caller", "sip:alice@127.0.0.1:5070", "sip:9000@127.0.0.1:5090"), (transfer.By, transfer.From, transfer.To));
    }

    [Fact]
    public async Task A_flow_that_refuses_the_transfer_gets_the_refer_403_and_the_call_goes_on()
    {
        var (call, callerTag) = await AnsweredCallAsync();
        _calls.Call(call.CallId).State.Flow = TransferPolicyFlow.Name;

        var refused = await CalleeRefersAsync(_calls, call, 2, "Refer-To: <sip:9000@127.0.0.1>");

        Assert.Equal(403, Response(refused).StatusCode);
        Assert.Empty(Requests(refused, "NOTIFY"));
        Assert.Empty(Requests(refused, "INVITE"));
        Assert.Null(_calls.Call(call.CallId).State.Transfer);
        var hangUp = await call.CallerSendsAsync("BYE", 3, callerTag);
        Assert.Equal(call.CalleeInvite!.CallId, Assert.Single(Requests(hangUp, "BYE")).CallId);
    }

    [Fact]
    public async Task A_flow_may_send_the_transfer_elsewhere()
    {
        var (call, _) = await AnsweredCallAsync();
        _calls.Call(call.CallId).State.Flow = TransferPolicyFlow.Name;

        var accepted = await CalleeRefersAsync(_calls, call, 2, "Refer-To: <sip:1@127.0.0.1>");

        Assert.Equal(202, Response(accepted).StatusCode);
        Assert.Equal("sip:9000@127.0.0.1:5090", Assert.Single(Requests(accepted, "INVITE")).RequestUri);
    }

    [Fact]
    public async Task An_anchored_call_offers_the_target_the_relays_rewrite_of_the_callers_media_and_reinvites_the_caller_with_the_answers()
    {
        using var anchored = new CallHost(new CallOptions { RingTimeout = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromHours(1) }, anchorMedia: true);
        var (call, _) = await AnsweredWithSdpAsync(anchored, MediaAnchorTests.CalleeSdp, MediaAnchorTests.CallerSdp);

        var refer = await CalleeRefersAsync(anchored, call, 2, "Refer-To: <sip:9000@127.0.0.1>");
        var offer = anchored.Media.Requests.Last();
        Assert.Equal((MediaKind.Offer, "alice-tag", (string?)null), (offer.Kind, offer.FromTag, offer.ToTag));
        var target = Assert.Single(Requests(refer, "INVITE"));
        Assert.Equal(FakeMediaRelay.Rewrite(offer), Body(target));

        var answered = await call.LegRespondsWithSdpAsync(target, 200, "carol-tag", CarolSdp);

        var answer = anchored.Media.Requests.Last();
        Assert.Equal((MediaKind.Answer, "alice-tag", "carol-tag", CarolSdp), (answer.Kind, answer.FromTag, answer.ToTag, answer.Sdp));
        Assert.Equal(FakeMediaRelay.Rewrite(answer), Body(Assert.Single(Requests(answered, "INVITE"))));
    }

    [Fact]
    public async Task A_targets_reliable_provisional_is_pracked_by_the_call()
    {
        var call = new CallScript(_calls, $"xfer-{Guid.NewGuid():N}@127.0.0.1", extraInviteHeaders: "Supported: 100rel");
        await call.AnswerAsync();
        var target = await AcceptedTransferAsync(call);

        var ringing = await call.LegRespondsAsync(target, 180, "carol-tag", "<sip:carol@127.0.0.1:5091>", ("Require", "100rel"), ("RSeq", "7"));

        var prack = Assert.Single(Requests(ringing, "PRACK"));
        Assert.Equal(target.CallId, prack.CallId);
        Assert.Equal("carol-tag", prack.To.Tag);
        Assert.Equal("7 1 INVITE", prack.GetHeader(HeaderId.RAck));
        Assert.Equal("sip:carol@127.0.0.1:5091", prack.RequestUri);
        Assert.Single(Requests(ringing, "NOTIFY"));
    }
}

