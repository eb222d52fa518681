using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A cluster of its own (PostgreSQL, Redis, two silos, one edge), because its test kills a silo: 90 s session timers,
/// and parking off, so that no reminder holds a call's deadlines: after the kill only the sweep of the dead silo's
/// calls (OrphanedCallsGrain) can wake it.
/// </summary>
public sealed class SessionTimerSiloKillFixture : IAsyncLifetime
{
    public IPEndPoint Callee { get; } = new(IPAddress.Parse("127.0.0.3"), FreePorts.Next());

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Logging__LogLevel__CallControl.Grains.Dialogs.DialogGrain"] = "Debug", // the test finds the silo holding its call
            ["CallControl__Calls__SessionExpires"] = "00:01:30",
            ["CallControl__Calls__ParkAfter"] = "00:00:00",
        };
        Cluster = await LocalCluster.UpAsync($"sip:{Callee}", silos: 2, edges: 1, settings);
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
/// Session timers survive a silo SIGKILL (issue 20, RFC 4028): both parties agree to 90 s sessions refreshed by the
/// B2BUA and allow no UPDATE, so its refreshes are re-INVITEs. The answered call's silo is killed at once; the other
/// silo sees it die and wakes the stored calls that hold no reminder, this one among them, and at 45 s sends each
/// party its re-INVITE offering the SDP it had, unchanged (the sipp scenarios check both); the caller's BYE then ends
/// the call there, with its CDR.
/// </summary>
public sealed class SessionTimerSiloKillTests(SessionTimerSiloKillFixture fixture, ITestOutputHelper output) : IClassFixture<SessionTimerSiloKillFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-session-kill-").FullName;

    [Fact]
    public async Task The_refresh_re_invites_go_out_from_the_other_silo_after_the_calls_silo_is_killed()
    {
        var prefix = $"st-kill-{Guid.NewGuid():N}"[..16];
        await using var callee = await Sipp.StartCalleeAsync("session-reinvite-uas.xml", "udp", fixture.Callee, 1, _work, "-timeout", "110s");
        var caller = Sipp.RunCallerAsync("session-reinvite-uac.xml", "udp", fixture.Cluster.SipPort, 1, 1, prefix, _work, "-timeout", "110s");

        var holder = await EventuallyAsync(
            () => Task.FromResult(Enumerable.Range(1, 2).FirstOrDefault(i => fixture.Cluster.SiloLog(i).Split('\n')
                .Any(line => line.Contains($"Call {prefix}", StringComparison.Ordinal) && line.Contains("answered by", StringComparison.Ordinal)))),
            silo => silo > 0, "a silo logs the call's answer");
        Assert.Equal(0L, await fixture.Cluster.ScalarAsync<long>($"SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE '%{prefix}%'"));
        Assert.False(caller.IsCompleted, "the call ended before the kill");
        fixture.Cluster.Kill($"silo-{holder}");
        output.WriteLine($"silo-{holder} killed");

        var (exit, callerOutput) = await caller; // got its refresh re-INVITE (the SDP checked), then its BYE got 200
        Assert.True(exit == 0, $"caller: {callerOutput}\n{fixture.Cluster.Logs()}");
        Assert.True(await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"callee: {callee.Output}");

        var cdr = Assert.Single(await EventuallyAsync(() => fixture.Cluster.CdrsForAsync(prefix), cdrs => cdrs.Count > 0, "the call's CDR"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.Equal($"silo-{3 - holder}", cdr.Silo);
        Assert.InRange(cdr.BillableSeconds, 45, 60); // the refresh at half of 90 s, the BYE a second after it
        Assert.Contains("stored calls without a reminder woken", fixture.Cluster.SiloLog(3 - holder), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
        => Polling.UntilAsync(probe, done, what, fixture.Cluster.Logs);
}
