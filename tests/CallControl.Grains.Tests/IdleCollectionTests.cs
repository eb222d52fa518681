using CallControl.Grains;
using CallControl.Sip.Messages;

namespace CallControl.Grains.Tests;

/// <summary>
/// A cluster of its own with parking off and Orleans' idle collection after 2 s (15 min by default): a quiet call
/// must keep its activation, and with it its timer, until its deadline.
/// </summary>
public sealed class IdleCollectionFixture() : ClusterFixture(
    new Dictionary<string, string> { ["RingTimeout"] = "00:00:03", ["MaxDuration"] = "00:00:05", ["ParkAfter"] = "0" },
    collectionAge: TimeSpan.FromSeconds(2));

[CollectionDefinition(Name)]
public sealed class IdleCollectionCollection : ICollectionFixture<IdleCollectionFixture>
{
    public const string Name = "idle-collection";
}

[Collection(IdleCollectionCollection.Name)]
public sealed class IdleCollectionTests(IdleCollectionFixture cluster)
{
    [Fact]
    public async Task A_held_call_that_does_not_park_outlives_the_collection_age_and_is_hung_up_at_its_maximum_duration()
    {
        var edge = new RecordingEdgeObserver();
        var call = new CallScript(cluster.Grains, $"idle-{Guid.NewGuid():N}@127.0.0.1", observer: cluster.Grains.CreateObjectReference<IEdgeObserver>(edge));
        using var watch = new GrainWatch(call.CallId);
        await call.AnswerAsync();

        var byes = await edge.NextAsync(); // had the collector taken it, its timer would have gone too, and no BYE come
        var hungUp = DateTime.UtcNow;

        Assert.All(byes, bye => Assert.Equal(SipMethod.Bye, CallScript.Parse(bye).Method));
        Assert.Equal(HangupParty.System, Assert.Single(cluster.Cdrs.For(call.CallId)).HungUpBy);
        // The one activation lived until the hang-up; what the ended call does after it (it lingers, then is collected)
        // is not this test's business.
        Assert.Equal(1, watch.CountBefore(GrainWatch.Kind.Activated, hungUp));
        Assert.Equal(0, watch.CountBefore(GrainWatch.Kind.Deactivated, hungUp));
        Assert.Equal(0, watch.Count(GrainWatch.Kind.ReminderRegistered));
        GC.KeepAlive(edge);
    }
}
