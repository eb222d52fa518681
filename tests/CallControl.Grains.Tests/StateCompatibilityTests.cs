using CallControl.Calls;
using CallControl.Grains;
using CallControl.Sip.Headers;
using CallControl.Sip.Messages;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace CallControl.Grains.Tests;

/// <summary>
/// A call stored before the call machine (commit 49e5b21: Fixtures/dialog-state-49e5b21.b64, Orleans' binary form
/// as PostgreSQL holds it) reads back, reactivates and ends as it would have: the state's aliases and ids are the
/// contract, whichever assembly now declares its types.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StateCompatibilityTests(ClusterFixture cluster)
{
    private const string CallId = "stored-before-the-machine@127.0.0.1";

    private IServiceProvider Services => ((InProcessSiloHandle)cluster.Cluster.Silos[0]).SiloHost.Services;

    private DialogState Stored()
    {
        var bytes = Convert.FromBase64String(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "dialog-state-49e5b21.b64")));
        return new OrleansGrainStorageSerializer(Services.GetRequiredService<Orleans.Serialization.Serializer>()).Deserialize<DialogState>(bytes)!;
    }

    [Fact]
    public void A_state_stored_before_the_machine_reads_back_whole()
    {
        var state = Stored();

        Assert.Equal(DialogPhase.Confirmed, state.Phase);
        Assert.Equal("caller-tag-old", state.CallerTag);
        Assert.Equal(1, state.AnsweredLeg);
        Assert.Equal([LegStatus.Failed, LegStatus.Answered], state.Legs.Select(l => l.Status));
        Assert.Equal(486, state.Legs[0].FinalStatus);
        Assert.Equal("1", state.Legs[0].Target.Headers!["X-Hunt-Member"]);
        Assert.Equal("<sip:1000@127.0.0.1:5060>;tag=bob-tag", state.Answered!.To);
        Assert.NotNull(state.Answered.Ack);
        Assert.Null(state.Answered.LocalFrom); // kept only since the machine: read from the stored INVITE when needed
        Assert.Equal("hunt-test", state.Flow);
        Assert.Equal("alice", state.Facts!.CallerUser);
        Assert.Equal("old", state.Facts.Header("Subject"));
        Assert.True(state.Parked);
        Assert.True(state.AckAtEdge);
        Assert.Equal(new EdgeInfo("edge-old", "127.0.0.1", 5060, 5060, 5061), state.Edge);
    }

    [Fact]
    public async Task A_call_stored_before_the_machine_reactivates_and_its_bye_ends_both_legs_with_one_cdr()
    {
        var state = Stored();
        state.HangupDeadline = state.WakeUpFor = DateTimeOffset.UtcNow.AddHours(1); // its maximum duration, moved past this test
        var storage = Services.GetRequiredKeyedService<IGrainStorage>(GrainStorage.Dialogs);
        await storage.WriteStateAsync("dialog", GrainId.Create("cc-dialog", CallId), new GrainState<DialogState>(state));
        var call = new CallScript(cluster.Grains, CallId);

        var bye = await call.CallerSendsAsync("BYE", 2, "caller-tag-old");

        Assert.Equal([SipCommandKind.Respond, SipCommandKind.Request], bye.Select(c => c.Kind));
        Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode);
        var calleeBye = CallScript.Parse(bye[1]);
        Assert.Equal(SipMethod.Bye, calleeBye.Method);
        Assert.Equal("sip:bob@127.0.0.1:5090", calleeBye.RequestUri);
        Assert.Equal(state.Answered!.CallId, calleeBye.CallId);
        Assert.Equal("leg-1-tag", calleeBye.From.Tag);
        Assert.Equal("bob-tag", calleeBye.To.Tag);
        Assert.Equal(new CSeqHeader(2, SipMethod.Bye, "BYE"), calleeBye.CSeq);
        var cdr = Assert.Single(cluster.Cdrs.For(CallId));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupParty.Caller, cdr.HungUpBy);
        Assert.Equal("sip:1000@127.0.0.1:5090", cdr.CalleeRouted);
        Assert.Equal("edge-old", cdr.Edge);
    }
}
