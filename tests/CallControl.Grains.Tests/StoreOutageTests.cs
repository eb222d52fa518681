using CallControl.Calls;
using CallControl.Grains.Dialogs;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Tests;

/// <summary>
/// The dialog grain with its state store (and CDR store) down: calls that exist go on and end cleanly, what they
/// could not write is written when the store is back (the CDR exactly once, the ended call's row removed), and a new
/// call is refused with 503.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StoreOutageTests(ClusterFixture cluster)
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(20); // backoff tops out at 5 s; generous for a loaded machine

    private CallScript NewCall(IEdgeObserver? observer = null) => new(cluster.Grains, $"outage-{Guid.NewGuid():N}@127.0.0.1", observer: observer);

    [Fact]
    public async Task An_answered_call_ends_cleanly_during_an_outage_and_its_row_goes_and_its_cdr_is_written_once_the_store_is_back()
    {
        var call = NewCall();
        var ok = await call.AnswerAsync();
        Assert.Equal(DialogPhase.Answered, cluster.Store.StoredPhase(call.CallId));

        try
        {
            GoDown(cdrsToo: true);
            var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);

            Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], bye.Select(c => c.Kind));
            Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode);
            var toCallee = CallScript.Parse(bye[1]);
            Assert.Equal(SipMethod.Bye, toCallee.Method);
            Assert.Equal(call.CalleeInvite!.CallId, toCallee.CallId);
            Assert.Empty(cluster.Cdrs.For(call.CallId));
            Assert.True(cluster.Outbox.Pending >= 1);
            Assert.Equal(DialogPhase.Answered, cluster.Store.StoredPhase(call.CallId)); // nothing newer could be stored

            // The grain is still the truth: a retried BYE gets its 200 and nothing else.
            var retried = Assert.Single(await call.CallerSendsAsync("BYE", 2, ok.To.Tag!));
            Assert.Equal(200, CallScript.Parse(retried).StatusCode);
        }
        finally
        {
            ComeBack();
        }

        await Eventually(() => cluster.Store.Cleared.ContainsKey(call.CallId) && cluster.Store.StoredPhase(call.CallId) is null, "the ended call's row is removed");
        await Eventually(() => cluster.Cdrs.For(call.CallId).Count > 0 && cluster.Outbox.Pending == 0, "the CDR leaves the outbox");
        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
    }

    [Fact]
    public async Task The_maximum_duration_hangs_up_both_legs_during_an_outage()
    {
        var edge = new RecordingEdgeObserver();
        var call = NewCall(cluster.Grains.CreateObjectReference<IEdgeObserver>(edge));
        var ok = await call.AnswerAsync();

        SipCommand[] byes;
        try
        {
            GoDown(cdrsToo: true);
            byes = await edge.NextAsync(); // the test cluster's maximum duration is 3 s
        }
        finally
        {
            ComeBack();
        }

        Assert.Equal([call.CallId, call.CalleeInvite!.CallId], byes.Select(b => CallScript.Parse(b).CallId));
        Assert.All(byes, b => Assert.Equal(SipMethod.Bye, CallScript.Parse(b).Method));
        await Eventually(() => cluster.Cdrs.For(call.CallId).Count > 0 && cluster.Outbox.Pending == 0, "the CDR leaves the outbox");
        Assert.Equal(HangupParty.System, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
        await Eventually(() => cluster.Store.Cleared.ContainsKey(call.CallId) && cluster.Store.StoredPhase(call.CallId) is null, "the ended call's row is removed");
        GC.KeepAlive(edge);
    }

    [Fact]
    public async Task A_new_call_whose_first_write_fails_gets_503_with_retry_after_and_rings_nobody()
    {
        var call = NewCall();
        SipCommand[] commands;
        try
        {
            GoDown(cdrsToo: false); // reads work (the grain activated), the write fails: the store went down in between
            commands = await call.InviteAsync();
        }
        finally
        {
            ComeBack();
        }

        var refusal = CallScript.Parse(Assert.Single(commands));
        Assert.Equal(503, refusal.StatusCode);
        Assert.Equal("30", refusal.GetHeader(HeaderId.RetryAfter)); // CallControl:Calls:StoreOutageRetryAfter's default
        Assert.Null(call.CalleeInvite);
        var cdr = Assert.Single(cluster.Cdrs.For(call.CallId)); // the caller saw a final response: the call has its CDR
        Assert.Equal(503, cdr.FinalStatus);
        Assert.Equal(CallDisposition.Failed, cdr.Disposition);

        // The refused call never had a row, and its end writes none: an ended call is never stored.
        Assert.Empty(await call.InviteAsync()); // its INVITE again, with the store back: answered from memory, nothing new
        Assert.Null(cluster.Store.StoredPhase(call.CallId));
        Assert.False(cluster.Store.Writes.ContainsKey(call.CallId));
    }

    [Fact]
    public async Task A_new_call_whose_state_cannot_be_read_fails_as_an_exception_and_goes_through_once_the_store_is_back()
    {
        var call = NewCall();
        try
        {
            cluster.Store.ReadsFail = true;
            cluster.Store.WritesFail = true;

            // The activation reads first; its failure reaches the edge as an exception (which answers 503 itself).
            await Assert.ThrowsAnyAsync<Exception>(call.InviteAsync);
        }
        finally
        {
            ComeBack();
        }

        var commands = await call.InviteAsync(); // the caller's retransmission, after the outage
        Assert.Equal(SipCommandKind.Request, Assert.Single(commands).Kind);
        Assert.Equal(DialogPhase.Calling, cluster.Store.StoredPhase(call.CallId));
        await call.CalleeRespondsAsync(486);
    }

    private void GoDown(bool cdrsToo)
    {
        cluster.Store.WritesFail = true;
        cluster.Cdrs.Down = cdrsToo;
    }

    private void ComeBack()
    {
        cluster.Store.ReadsFail = false;
        cluster.Store.WritesFail = false;
        cluster.Cdrs.Down = false;
    }

    /// <summary>Polls an observable condition until it holds, or fails after <see cref="Recovery"/>.</summary>
    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
