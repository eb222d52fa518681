using CallControl.Grains;

namespace CallControl.Grains.Tests;

/// <summary>What the dialog grain writes to its store, and when.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PersistenceTests(ClusterFixture cluster)
{
    private CallScript NewCall(bool withOffer = true) => new(cluster.Grains, $"grain-test-{Guid.NewGuid():N}@127.0.0.1", withOffer);

    [Fact]
    public async Task A_call_that_ends_before_it_would_park_makes_two_writes_and_a_delete_and_registers_no_reminder()
    {
        var call = NewCall();
        using var watch = new GrainWatch(call.CallId);
        var ok = await call.AnswerAsync();

        await call.CallerSendsAsync("BYE", 2, ok.To.Tag!); // well within CallControl:Calls:ParkAfter (its default here)

        Assert.Equal(2, cluster.Store.Writes[call.CallId]); // the dial, the answer
        Assert.True(cluster.Store.Cleared.ContainsKey(call.CallId)); // the end: its row goes, its ended state stays in memory
        Assert.Null(cluster.Store.StoredPhase(call.CallId));
        Assert.Equal(0, watch.Count(GrainWatch.Kind.ReminderRegistered));
        Assert.Equal(0, watch.Count(GrainWatch.Kind.Deactivated));
    }
}
