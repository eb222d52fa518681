using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using Xunit.Abstractions;

namespace CallControl.EndToEnd.Tests;

/// <summary>A cluster of its own (PostgreSQL, Redis, two silos, one edge), because its test kills a silo.</summary>
public sealed class TransferSiloKillFixture : IAsyncLifetime
{
    /// <summary>The transferor: the cluster's default target.</summary>
    public int TransferorPort { get; } = FreePorts.Next();

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The dialog grain logs a leg's first provisional at Debug: the test finds the silo holding its call in the logs.
        var settings = new Dictionary<string, string> { ["Logging__LogLevel__CallControl.Grains.Dialogs.DialogGrain"] = "Debug" };
        Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{TransferorPort}", silos: 2, edges: 1, settings);
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
/// A blind transfer whose silo is SIGKILLed while the target rings (issue 20: transfers survive a silo kill, the NOTIFY
/// still happens). The transfer was saved before the 202, so the target's 200 (retransmitted until its ACK) reactivates
/// the call on the other silo, which NOTIFYs the transferor "200 OK", BYEs it, re-INVITEs the caller toward the target
/// and, at the caller's BYE, writes the one CDR with the transfer.
/// </summary>
public sealed class TransferSiloKillTests(TransferSiloKillFixture fixture, ITestOutputHelper output) : IClassFixture<TransferSiloKillFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-transfer-kill-").FullName;

    [Fact]
    public async Task A_transfer_under_way_when_its_silo_dies_ends_with_its_notify_from_the_other_silo()
    {
        var targetPort = FreePorts.Next();
        var route = await fixture.Cluster.CliAsync("route", "add", "--name", "transfer-kill", "--prefix", "97", "--targets", $"sip:127.0.0.1:{targetPort}");
        Assert.True(route.Exit == 0, route.Output);
        await using var transferor = await Sipp.StartCalleeAsync(
            "transfer-transferor-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, fixture.TransferorPort), 1, _work, "-key", "target", "sip:9700@127.0.0.1", "-timeout", "90s");
        // The target rings 12 s: time to find the silo holding the call and kill it before the answer.
        await using var target = await Sipp.StartCalleeAsync(
            "transfer-target-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, targetPort), 1, _work, "-d", "12000", "-timeout", "90s");
        var caller = Sipp.RunCallerAsync("transfer-transferee-uac.xml", "udp", fixture.Cluster.SipPort, 1, rate: 1, "transfer-kill-", _work, "-timeout", "90s");

        // The target rings: the transfer was saved before its INVITE (and the 202) went.
        var holder = await EventuallyAsync(
            () => Enumerable.Range(1, 2).FirstOrDefault(i => fixture.Cluster.SiloLog(i).Contains($"sip:9700@127.0.0.1:{targetPort} rings", StringComparison.Ordinal)),
            "a silo logs the transfer's target ringing");
        Assert.False(caller.IsCompleted, "the call ended before the kill");
        fixture.Cluster.Kill($"silo-{holder}");
        output.WriteLine($"killed silo-{holder} while the transfer's target rang");

        var (exit, callerOutput) = await caller;
        Assert.True(exit == 0, $"{callerOutput}\n{fixture.Cluster.Logs()}");
        Assert.True(await transferor.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, $"{transferor.Output}\n{fixture.Cluster.Logs()}");
        Assert.True(await target.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, target.Output);
        var cdr = Assert.Single(await fixture.Cluster.CdrsForAsync("transfer-kill-"));
        Assert.Equal($"silo-{3 - holder}", cdr.Silo);
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.Equal("callee", Assert.Single(cdr.Transfers!).By);
        await fixture.Cluster.CliAsync("route", "remove", "--name", "transfer-kill");
    }

    /// <summary>Polls (bounded: 20 s) until <paramref name="probe"/> gives a silo number: a log line in another process has no event to await.</summary>
    private static async Task<int> EventuallyAsync(Func<int> probe, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (probe() is var found and > 0)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
