using CallControl.Media.Ng;
using CallControl.Media.Selection;
using CallControl.Media.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CallControl.Media.Tests.Integration;

/// <summary>Two real rtpengines behind the pool: the first is SIGKILLed by its PID, the second takes the new calls.</summary>
public sealed class RtpengineFailoverTests
{
    [Fact]
    public async Task A_second_rtpengine_takes_new_calls_when_the_first_is_killed()
    {
        await using var first = await RtpengineProcess.StartAsync();
        await using var second = await RtpengineProcess.StartAsync();
        var options = new MediaOptions { Mode = MediaMode.Anchor, HealthTimeout = TimeSpan.FromMilliseconds(200), NgAttempts = 2 };
        using var client = new NgClient(new NgRetry(TimeSpan.FromMilliseconds(300), 2), TimeProvider.System, NullLogger<NgClient>.Instance);
        var pool = new RtpenginePool([(first.Address, 1), (second.Address, 1)], TimeProvider.System);
        using var monitor = new RtpengineHealthMonitor(pool, client, Options.Create(options), TimeProvider.System, NullLogger<RtpengineHealthMonitor>.Instance);

        await monitor.ProbeAllAsync(default);
        Assert.All(pool.Snapshot(), e => Assert.Equal(RtpengineHealth.Up, e.Health));
        var before = Enumerable.Range(0, 200).Select(_ => pool.Choose()).ToHashSet();
        Assert.Equal(2, before.Count); // both take calls while both are up

        var firstPid = first.Pid;
        await first.KillAsync();
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(firstPid));
        await monitor.ProbeAllAsync(default);

        Assert.Equal(RtpengineHealth.Down, pool.Snapshot()[0].Health);
        Assert.All(Enumerable.Range(0, 200), _ => Assert.Equal(second.Address, pool.Choose()));
        using var caller = new RtpPeer(0x4444);
        var chosen = pool.Choose();
        var offer = await client.OfferAsync(chosen, new OfferRequest("after-kill", "a1", caller.Sdp("caller")));
        Assert.InRange(SdpText.Audio(offer.Sdp).Port, second.PortMin, second.PortMax);
        await client.DeleteAsync(chosen, new DeleteRequest("after-kill", "a1"));
    }

    [Fact]
    public async Task A_call_keeps_talking_to_its_rtpengine_whatever_the_pool_thinks_of_it()
    {
        await using var engine = await RtpengineProcess.StartAsync();
        using var client = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);
        var pool = new RtpenginePool([(engine.Address, 1)], TimeProvider.System);
        var kept = NgAddress.Parse(pool.Choose().ToString()); // what a call stores and reads back after reactivation
        pool.ReportUnanswered(kept);
        Assert.False(pool.TryChoose(out _));
        await client.PingAsync(kept);
        Assert.Empty(await client.ListAsync(kept));
    }
}
