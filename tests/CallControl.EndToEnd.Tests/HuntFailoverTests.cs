using System.Globalization;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A cluster of its own (PostgreSQL, Redis, two silos, one edge), because its test kills a silo: a sequential hunt
/// whose first member is ringing goes on to the next member from the other silo after the silo holding the call is
/// SIGKILLed. Nothing else reaches the call meanwhile: the wake-up reminder reactivates it.
/// </summary>
public sealed class HuntFailoverFixture : IAsyncLifetime
{
    public int FirstMember { get; } = FreePorts.Next();

    public int SecondMember { get; } = FreePorts.Next();

    internal LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The dialog grain logs each call it takes at Debug: the test finds the silo holding its call in the logs.
        var settings = new Dictionary<string, string> { ["Logging__LogLevel__CallControl.Grains.Dialogs.DialogGrain"] = "Debug" };
        Cluster = await LocalCluster.UpAsync($"sip:127.0.0.1:{FreePorts.Next()}", silos: 2, edges: 1, settings);
        var parameters = $$"""{"targets":["sip:127.0.0.1:{{FirstMember}}","sip:127.0.0.1:{{SecondMember}}"],"ringSeconds":6}""";
        var (exit, output) = await Cluster.CliAsync("route", "add", "--name", "support", "--prefix", "8", "--flow", "hunt", "--parameters", parameters);
        if (exit != 0)
        {
            throw new InvalidOperationException($"route add failed: {output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

public sealed class HuntFailoverTests(HuntFailoverFixture fixture) : IClassFixture<HuntFailoverFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-hunt-").FullName;

    [Fact]
    public async Task A_hunt_goes_on_to_the_next_member_from_another_silo_when_the_silo_holding_the_call_is_killed()
    {
        // The first member rings and never answers (it waits for the CANCEL); the second answers.
        await using var first = await Sipp.StartCalleeAsync("ring-forever-uas.xml", "udp", fixture.FirstMember, 1, _work);
        await using var second = await Sipp.StartCalleeAsync("uas", "udp", fixture.SecondMember, 1, _work);
        var caller = Sipp.RunCallerAsync("uac", "udp", fixture.Cluster.SipPort, 1, rate: 1, "hunt-kill-", _work, "-s", "8000");

        // Which silo holds the call, once its first member rings: that silo's log says so (bounded wait: there is no
        // event to await across processes). Killing it earlier would only kill the INVITE's own grain call.
        var ringing = $"{fixture.FirstMember.ToString(CultureInfo.InvariantCulture)} rings";
        var holder = await WaitForAsync(() => Enumerable.Range(1, 2).FirstOrDefault(i => fixture.Cluster.SiloLog(i).Split('\n').Any(l => l.Contains("Call hunt-kill-", StringComparison.Ordinal) && l.Contains(ringing, StringComparison.Ordinal))), TimeSpan.FromSeconds(20));
        Assert.True(holder > 0, "no silo logged the call:\n" + fixture.Cluster.Logs());
        fixture.Cluster.Kill($"silo-{holder}");

        var (callerExit, callerOutput) = await caller;
        Assert.True(callerExit == 0, $"caller: {callerOutput}\n{fixture.Cluster.Logs()}");
        Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30))); // it got its CANCEL (and its 487 was ACKed)

        var cdr = Assert.Single(await fixture.Cluster.CdrsForAsync("hunt-kill-"));
        Assert.Equal(Grains.CallDisposition.Answered, cdr.Disposition);
        Assert.Equal("support", cdr.Route);
        Assert.EndsWith($":{fixture.SecondMember.ToString(CultureInfo.InvariantCulture)}", cdr.CalleeRouted, StringComparison.Ordinal);
        Assert.Equal($"silo-{3 - holder}", cdr.Silo);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static async Task<int> WaitForAsync(Func<int> probe, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int found;
        while ((found = probe()) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return found;
    }
}
