using Orleans.TestingHost;
using static CallControl.Grains.Tests.GrainWatch;

namespace CallControl.Grains.Tests;

/// <summary>
/// A silo shut down gracefully under a held call that has not parked yet (ParkAfter is 40 s here): the call parks on
/// its way out, so its maximum duration is still kept by a reminder, and its next message brings it back on the silo
/// that is left. A two-silo cluster of its own, since the test stops one.
/// </summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly TwoSilos _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task A_held_call_parks_with_its_maximum_duration_reminder_when_its_silo_shuts_down()
    {
        var callId = $"shutdown-{Guid.NewGuid():N}@127.0.0.1";
        using var watch = new GrainWatch(callId);
        var call = new CallScript(_cluster.Grains, callId);
        var ok = await call.AnswerAsync();
        Assert.Equal(0, watch.Count(Kind.ReminderRegistered));
        var writes = _cluster.Store.Writes[callId];
        var host = await _cluster.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(_cluster.Grains.GetGrain<IDialogGrain>(callId));

        await _cluster.Cluster.StopSiloAsync(_cluster.Cluster.Silos.Single(s => s.SiloAddress.Equals(host)));

        Assert.Equal(writes + 1, _cluster.Store.Writes[callId]);
        Assert.Equal(1, watch.Count(Kind.ReminderRegistered));
        Assert.Empty(_cluster.Cdrs.For(callId));
        var bye = await call.CallerSendsAsync("BYE", 2, ok.To.Tag!);
        Assert.Equal(200, CallScript.Parse(bye[0]).StatusCode);
        Assert.Equal(HangupParty.Caller, Assert.Single(_cluster.Cdrs.For(callId)).HungUpBy);
    }

    private sealed class TwoSilos() : ClusterFixture(new Dictionary<string, string> { ["MaxDuration"] = "00:10:00" }, silos: 2);
}
