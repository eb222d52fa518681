using CallControl.Grains.Media;

namespace CallControl.Grains.Tests;

/// <summary>
/// The failover pass of a dead rtpengine on a silo (docs/media.md, "When an rtpengine dies"): it tells every call the
/// index lists there, page after page; calls that have ended lose their row; calls on other rtpengines are not asked.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MediaFailoverGrainTests(ClusterFixture cluster)
{
    [Fact]
    public async Task A_pass_tells_every_call_listed_on_the_dead_rtpengine_and_drops_the_rows_of_calls_that_ended()
    {
        var dead = $"127.0.{Random.Shared.Next(1, 250)}.9:2223";
        var elsewhere = $"127.0.{Random.Shared.Next(1, 250)}.8:2223";
        var gone = Enumerable.Range(0, 600).Select(i => $"failover-gone-{i}-{Guid.NewGuid():N}").ToList(); // more than one page
        foreach (var call in gone)
        {
            await cluster.MediaSessions.SetAsync(call, dead, CancellationToken.None);
        }

        var other = $"failover-other-{Guid.NewGuid():N}";
        await cluster.MediaSessions.SetAsync(other, elsewhere, CancellationToken.None);

        var pass = await cluster.Grains.GetGrain<IMediaFailoverGrain>(dead).MoveCallsAsync();

        Assert.Equal(new MediaFailoverPass(Moved: 0, Gone: gone.Count, Left: 0), pass);
        Assert.Empty(await cluster.MediaSessions.ListAsync(dead, null, 10, CancellationToken.None));
        Assert.Equal([other], await cluster.MediaSessions.ListAsync(elsewhere, null, 10, CancellationToken.None));
        Assert.Equal(new MediaFailoverPass(0, 0, 0), await cluster.Grains.GetGrain<IMediaFailoverGrain>(dead).MoveCallsAsync());
    }
}
