using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Media.Ng;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A cluster of its own with one rtpengine (<c>scripts/cluster up --media 1</c>; PostgreSQL, Redis, two silos, one edge),
/// because its test kills a silo. Every call goes to a sipp callee on 127.0.0.3.
/// </summary>
public sealed class MediaSiloKillFixture : IAsyncLifetime
{
    public IPEndPoint Callee { get; } = new(IPAddress.Parse("127.0.0.3"), FreePorts.Next());

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The dialog grain logs each call it takes at Debug: the test finds the silo holding its call in the logs.
        var settings = new Dictionary<string, string> { ["Logging__LogLevel__CallControl.Grains.Dialogs.DialogGrain"] = "Debug" };
        Cluster = await LocalCluster.UpAsync($"sip:{Callee}", silos: 2, edges: 1, settings, media: 1);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// An anchored call whose silo is SIGKILLed (issue 19): the media is rtpengine's business, so RTP goes on crossing it
/// during and after the kill (nothing told rtpengine to delete the call); the caller's BYE reactivates the call on the
/// other silo, which deletes the session (the only delete rtpengine gets) and writes the CDR with the media counts.
/// The caller (sipp, 127.0.0.2) plays g711a.pcap five times (37 s), the callee (sipp, 127.0.0.3) echoes it.
/// </summary>
public sealed class MediaSiloKillTests(MediaSiloKillFixture fixture, ITestOutputHelper output) : IClassFixture<MediaSiloKillFixture>, IDisposable
{
    private const int AfterKill = 200; // packets each way after the kill: 6 s of audio, past the dead silo's detection (about 5 s)
    private static readonly IPAddress CallerAddress = IPAddress.Parse("127.0.0.2");
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-media-kill-").FullName;

    [Fact]
    public async Task Anchored_media_flows_on_through_a_silo_kill_and_the_bye_ends_the_call_from_the_other_silo_with_its_media_counts()
    {
        var engine = fixture.Cluster.Rtpengine(1);
        using var ng = new NgClient(new NgRetry(TimeSpan.FromSeconds(1), 3), TimeProvider.System, NullLogger<NgClient>.Instance);
        await using var callee = await Sipp.StartCalleeAsync(
            "media-echo-uas.xml", "udp", fixture.Callee, 1, _work, "-mi", fixture.Callee.Address.ToString(), "-rtp_echo");
        var caller = Sipp.RunCallerAsync(
            "media-uac.xml", "udp", new IPEndPoint(IPAddress.Loopback, fixture.Cluster.SipPort), CallerAddress, 1, 1, "media-kill-", _work,
            "-mi", CallerAddress.ToString(), "-set", "plays", "5");

        // rtpengine holds the call and RTP crosses it both ways (its counts, polled: no event to await across processes).
        var callId = (await EventuallyAsync(() => ng.ListAsync(engine), ids => ids.Count == 1, "rtpengine holds the call"))[0];
        var flowing = await EventuallyAsync(() => CountsAsync(ng, engine, callId), c => c.FromCaller > 0 && c.FromCallee > 0, "RTP crosses rtpengine both ways");
        var holder = await EventuallyAsync(
            () => Task.FromResult(Enumerable.Range(1, 2).FirstOrDefault(i => fixture.Cluster.SiloLog(i).Contains($"Call {callId} answered by", StringComparison.Ordinal))),
            silo => silo > 0, "a silo logs the call's answer");
        Assert.False(caller.IsCompleted, "the call ended before the kill");
        fixture.Cluster.Kill($"silo-{holder}");
        var killed = await CountsAsync(ng, engine, callId);

        var after = await EventuallyAsync(
            () => CountsAsync(ng, engine, callId), c => c.FromCaller >= killed.FromCaller + AfterKill && c.FromCallee >= killed.FromCallee + AfterKill,
            "RTP goes on crossing rtpengine after the kill");
        Assert.False(caller.IsCompleted, "the call ended before the media after the kill was counted");
        output.WriteLine($"packets from caller/callee: flowing {flowing}, at the kill of silo-{holder} {killed}, after it {after}");

        var (exit, callerOutput) = await caller; // its BYE got 200: the call reactivated on the other silo
        Assert.True(exit == 0, $"caller: {callerOutput}\n{fixture.Cluster.Logs()}");
        Assert.Equal(0, await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var cdr = Assert.Single(await EventuallyAsync(() => fixture.Cluster.CdrsForAsync(callId), cdrs => cdrs.Count > 0, "the call's CDR"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.Equal($"silo-{3 - holder}", cdr.Silo);
        Assert.NotNull(cdr.Media);
        Assert.Equal(engine.ToString(), cdr.Media.Engine);
        Assert.InRange(cdr.Media.FromCaller.Packets, after.FromCaller, long.MaxValue);
        Assert.InRange(cdr.Media.FromCallee.Packets, after.FromCallee, long.MaxValue);
        Assert.Empty(await ng.ListAsync(engine));
        Assert.Single(fixture.Cluster.ProcessLog("rtpengine-1").Split('\n'), l => l.Contains("Received command 'delete'", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>The RTP packets rtpengine received so far from the caller (sipp's From tag ends SIPpTag001) and the callee.</summary>
    private static async Task<(long FromCaller, long FromCallee)> CountsAsync(NgClient ng, NgAddress engine, string callId)
    {
        var statistics = await ng.QueryAsync(engine, callId);
        var tags = statistics.Tags.ToList();
        var callerTag = tags.SingleOrDefault(t => t.EndsWith("SIPpTag001", StringComparison.Ordinal));
        var calleeTag = tags.SingleOrDefault(t => t != callerTag);
        return (callerTag is null ? 0 : statistics.RtpFrom(callerTag).Packets, calleeTag is null ? 0 : statistics.RtpFrom(calleeTag).Packets);
    }

    private Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
        => Polling.UntilAsync(probe, done, what, fixture.Cluster.Logs);
}
