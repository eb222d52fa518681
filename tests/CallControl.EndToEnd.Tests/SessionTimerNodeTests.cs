using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Session timers through the embedded node with real sipp (RFC 4028, a 90 s session): the caller asks to refresh its
/// side and never does; the callee knows nothing of timers and is kept alive with an OPTIONS at 45 s; at 60 s the
/// caller's session expires and the call ends with a BYE on both legs, its CDR saying session-expired.
/// </summary>
public sealed class SessionTimerNodeTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-session-").FullName;

    [Fact]
    public async Task A_caller_that_stops_refreshing_is_hung_up_at_its_expiry_and_the_callee_was_kept_alive_meanwhile()
    {
        var calleePort = FreePorts.Next();
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{calleePort}", new Dictionary<string, string>
        {
            ["CallControl__Calls__SessionExpires"] = "00:01:30",
        });
        await using var callee = await Sipp.StartCalleeAsync("session-keepalive-uas.xml", "udp", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, calleePort), 1, _work, "-timeout", "85s");

        // sipp's own limit above the call's 60 s (the harness gives each sipp 60 s).
        var (exit, output) = await Sipp.RunCallerAsync("session-expiry-uac.xml", "udp", node.SipPort, 1, rate: 1, "session-expiry-", _work, "-timeout", "85s");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        Assert.True(await callee.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, callee.Output);
        var cdr = Assert.Single(await node.WaitForCdrsAsync("session-expiry-"));
        Assert.Equal((CallDisposition.SessionExpired, HangupParty.System), (cdr.Disposition, cdr.HungUpBy));
        Assert.InRange(cdr.BillableSeconds, 55, 65); // 90 s less a third
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
