using CallControl.Calls;
using CallControl.Grains;
using CallControl.Grains.Dialogs;
using CallControl.Sip.Messages;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static CallControl.Grains.Tests.GrainWatch;

namespace CallControl.Grains.Tests;

/// <summary>
/// Confirmed calls park (their activation goes, their state and a wake-up reminder stay) after 1 s without a message
/// in this cluster; their next message, or the reminder at their maximum duration, brings them back exactly as they were.
/// </summary>
[Collection(ParkingCollection.Name)]
public sealed class ParkingTests(ParkingFixture cluster)
{
    [Fact]
    public async Task A_confirmed_call_parks_with_its_state_stored_and_a_wake_up_at_its_maximum_duration()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        var answered = DateTimeOffset.UtcNow;

        await watch.NextAsync(Kind.Deactivated);

        Assert.Equal(DialogPhase.Confirmed, cluster.Store.StoredPhase(call.CallId));
        Assert.Equal(1, watch.Count(Kind.ReminderRegistered));
        var reminder = await WakeUpAsync(call);
        Assert.NotNull(reminder);
        Assert.InRange(reminder.StartAt, answered.UtcDateTime.AddSeconds(5), answered.UtcDateTime.AddSeconds(6.5));

        // Late retransmissions of the answer wake it and get what they got before: the callee's 200 our ACK again,
        // the caller's ACK nothing.
        Assert.Equal(SipCommandKind.Ack, Assert.Single(await call.CalleeRespondsAsync(200)).Kind);
        Assert.Empty(await call.CallerSendsAsync("ACK", 1, ok.To.Tag!));
        Assert.Equal(2, watch.Count(Kind.Activated));

        await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);
        await watch.NextAsync(Kind.ReminderUnregistered);
        Assert.Null(await WakeUpAsync(call));
    }

    [Fact]
    public async Task An_answered_call_whose_edge_kept_the_callers_ack_parks_and_a_later_ack_timeout_still_ends_it()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        await call.InviteAsync();
        await call.CalleeRespondsAsync(200); // its edge takes the empty ACK (EdgeTakesEmptyAck): none reaches the grain

        await watch.NextAsync(Kind.Deactivated);

        Assert.Equal(DialogPhase.Answered, cluster.Store.StoredPhase(call.CallId));
        Assert.NotNull(await WakeUpAsync(call));
        var commands = await cluster.Grains.GetGrain<IDialogGrain>(call.CallId).OnAckTimeout(call.CallId, 1);
        Assert.Equal(2, commands.Length); // a BYE on each leg, from the stored state
        Assert.Equal(HangupParty.System, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
    }

    [Fact]
    public async Task The_callers_bye_wakes_a_parked_call_which_ends_both_legs_with_one_cdr_and_removes_its_wake_up()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        await watch.NextAsync(Kind.Deactivated);

        var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], bye.Select(c => c.Kind));
        Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode);
        Assert.Equal(ok.To.Tag, CallScript.Parse(bye[0]).To.Tag);
        var calleeBye = CallScript.Parse(bye[1]);
        Assert.Equal(SipMethod.Bye, calleeBye.Method);
        Assert.Equal("sip:bob@127.0.0.1:5090", calleeBye.RequestUri);
        Assert.Equal(call.CalleeInvite!.CallId, calleeBye.CallId);
        Assert.Equal(call.CalleeInvite.From.Tag, calleeBye.From.Tag);
        Assert.Equal("bob-tag", calleeBye.To.Tag);
        Assert.Equal(2u, calleeBye.CSeq.Number);
        Assert.Equal(2, watch.Count(Kind.Activated));

        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
        Assert.Equal("sip:1000@127.0.0.1:5090", cdr.CalleeRouted);
        Assert.True(cdr.BillableSeconds >= 1);
        await watch.NextAsync(Kind.ReminderUnregistered);
        Assert.Null(await WakeUpAsync(call));
        Assert.True(cluster.Store.Cleared.ContainsKey(call.CallId)); // an ended call keeps no row
        Assert.Null(cluster.Store.StoredPhase(call.CallId));

        // A retried BYE is answered from the ended state the activation keeps, with no second CDR.
        Assert.Equal(200, CallScript.Parse(Assert.Single(await call.CallerSendsAsync("BYE", 2, ok.To.Tag!))).StatusCode);
        Assert.Single(cluster.Cdrs.For(call.CallId));
    }

    [Fact]
    public async Task The_callees_bye_wakes_a_parked_call_and_reaches_the_caller_in_its_dialog()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        await watch.NextAsync(Kind.Deactivated);

        var commands = await call.CalleeSendsByeAsync();

        Assert.Equal(200, CallScript.Parse(commands.Single(c => c.Kind == SipCommandKind.Respond)).StatusCode);
        var toCaller = CallScript.Parse(commands.Single(c => c.Kind == SipCommandKind.Request));
        Assert.Equal(SipMethod.Bye, toCaller.Method);
        Assert.Equal("sip:alice@127.0.0.1:5070", toCaller.RequestUri);
        Assert.Equal(call.CallId, toCaller.CallId);
        Assert.Equal(ok.To.Tag, toCaller.From.Tag);
        Assert.Equal("alice-tag", toCaller.To.Tag);
        Assert.Equal(1u, toCaller.CSeq.Number);
        Assert.Equal(HangupParty.Callee, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
        await watch.NextAsync(Kind.ReminderUnregistered);
    }

    [Fact]
    public async Task In_dialog_requests_go_on_across_parks_with_their_cseqs_and_a_second_park_registers_no_second_reminder()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        var callerTag = ok.To.Tag!;

        // An INFO before the first park: its CSeq on the callee leg (2) was used in memory only; the park saves it.
        var info = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INFO", 2, callerTag)));
        Assert.Equal(2u, info.CSeq.Number);
        await call.CalleeAnswersAsync(info, 200);
        await watch.NextAsync(Kind.Deactivated);

        var reinvite = CallScript.Parse(Assert.Single(await call.CallerSendsAsync("INVITE", 3, callerTag, body: "v=0\r\no=hold\r\n")));
        Assert.Equal(SipMethod.Invite, reinvite.Method);
        Assert.Equal(3u, reinvite.CSeq.Number);
        Assert.Equal(call.CalleeInvite!.CallId, reinvite.CallId);
        Assert.Equal("bob-tag", reinvite.To.Tag);
        Assert.Equal("sip:bob@127.0.0.1:5090", reinvite.RequestUri);
        var answer = await call.CalleeAnswersAsync(reinvite, 200, body: "v=0\r\no=held\r\n");
        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Ack], answer.Select(c => c.Kind));
        Assert.Equal(callerTag, CallScript.Parse(answer[0]).To.Tag);
        Assert.Empty(await call.CallerSendsAsync("ACK", 3, callerTag));

        await watch.NextAsync(Kind.Deactivated); // parked again
        Assert.Equal(1, watch.Count(Kind.ReminderRegistered));

        var bye = CallScript.Parse((await call.CallerSendsAsync("BYE", 4, callerTag))[1]);
        Assert.Equal(4u, bye.CSeq.Number);
        Assert.Equal(3, watch.Count(Kind.Activated));
        Assert.Single(cluster.Cdrs.For(call.CallId));
        await watch.NextAsync(Kind.ReminderUnregistered);
    }

    [Fact]
    public async Task The_maximum_duration_wakes_a_parked_call_and_hangs_up_both_legs()
    {
        var edge = new RecordingEdgeObserver();
        var (call, watch) = NewCall(cluster.Grains.CreateObjectReference<IEdgeObserver>(edge));
        using var _ = watch;
        await call.AnswerAsync();
        await watch.NextAsync(Kind.Deactivated);

        var byes = (await edge.NextAsync()).Select(CallScript.Parse).ToList();

        Assert.All(byes, bye => Assert.Equal(SipMethod.Bye, bye.Method));
        Assert.Equal([call.CallId, call.CalleeInvite!.CallId], byes.Select(b => b.CallId));
        Assert.Equal(2, watch.Count(Kind.Activated));
        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId));
        Assert.Equal(HangupParty.System, cdr.HungUpBy);
        Assert.True(cdr.BillableSeconds >= 6);
        await watch.NextAsync(Kind.ReminderUnregistered);
        Assert.Null(await WakeUpAsync(call));
        GC.KeepAlive(edge);
    }

    [Fact]
    public async Task A_park_whose_save_the_store_refuses_waits_in_the_activation_and_goes_once_the_store_takes_it()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        try
        {
            cluster.Store.WritesFail = true;
            await cluster.Store.NextRefusalAsync(call.CallId); // the park's save
            Assert.Equal(0, watch.Count(Kind.Deactivated));
        }
        finally
        {
            cluster.Store.WritesFail = false;
        }

        await watch.NextAsync(Kind.Deactivated); // once the write-behind has stored it
        Assert.Equal(DialogPhase.Confirmed, cluster.Store.StoredPhase(call.CallId));
        Assert.NotNull(await WakeUpAsync(call));

        await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);
        Assert.Equal(HangupParty.Caller, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
        await watch.NextAsync(Kind.ReminderUnregistered);
    }

    [Fact]
    public async Task A_park_whose_save_conflicts_lets_the_activation_go_and_the_stored_state_carries_the_call()
    {
        var (call, watch) = NewCall();
        using var _ = watch;
        var ok = await call.AnswerAsync();
        try
        {
            cluster.Store.WritesConflict = true;
            await cluster.Store.NextRefusalAsync(call.CallId);
            await watch.NextAsync(Kind.Deactivated);
        }
        finally
        {
            cluster.Store.WritesConflict = false;
        }

        Assert.Equal(DialogPhase.Answered, cluster.Store.StoredPhase(call.CallId)); // what the answer wrote
        var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);
        Assert.Equal(call.CalleeInvite!.CallId, CallScript.Parse(bye[1]).CallId);
        Assert.Equal(HangupParty.Caller, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
    }

    private (CallScript Call, GrainWatch Watch) NewCall(IEdgeObserver? observer = null)
    {
        var callId = $"park-{Guid.NewGuid():N}@127.0.0.1";
        return (new CallScript(cluster.Grains, callId, observer: observer), new GrainWatch(callId));
    }

    /// <summary>The call's wake-up reminder as the reminder table holds it, or null.</summary>
    private Task<ReminderEntry?> WakeUpAsync(CallScript call)
        => ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IReminderTable>()
            .ReadRow(GrainId.Create("cc-dialog", call.CallId), "wake-up")!;
}
