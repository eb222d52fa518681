using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Blind transfer through the embedded node with real sipp (REFER, RFC 3515; docs/call-flows.md, "Transfers"). By the
/// callee: it answers, then REFERs its caller to 9000, which the dial plan routes to a third sipp; the transferor gets
/// 202 and NOTIFYs (100, 180, 200 with sipfrag bodies) then a BYE; the target is offered the caller's media; the caller
/// is re-INVITEd with the target's; the caller's BYE reaches the target; the one CDR names the transfer. By the caller:
/// the same, the other way round (the callee stays, on the caller's side, and its BYE reaches the target).
/// </summary>
public sealed class TransferNodeTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-transfer-").FullName;

    [Fact]
    public async Task A_callee_transfers_its_caller_blind_and_the_caller_ends_up_talking_to_the_target()
    {
        var transferorPort = FreePorts.Next();
        var targetPort = FreePorts.Next();
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{transferorPort}", TargetRoute(targetPort));
        await using var transferor = await Sipp.StartCalleeAsync(
            "transfer-transferor-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, transferorPort), 1, _work, "-key", "target", "sip:9000@127.0.0.1");
        await using var target = await Sipp.StartCalleeAsync("transfer-target-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, targetPort), 1, _work, "-d", "300");

        var (exit, output) = await Sipp.RunCallerAsync("transfer-transferee-uac.xml", "udp", node.SipPort, 1, rate: 1, "transfer-", _work);

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        Assert.True(await transferor.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, transferor.Output);
        Assert.True(await target.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, target.Output);
        var cdr = Assert.Single(await node.WaitForCdrsAsync("transfer-"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy));
        Assert.Equal($"sip:9000@127.0.0.1:{targetPort}", cdr.CalleeRouted);
        var transfer = Assert.Single(cdr.Transfers!);
        Assert.Equal(("callee", $"sip:9000@127.0.0.1:{targetPort}"), (transfer.By, transfer.To));
        Assert.EndsWith($"@127.0.0.1:{transferorPort}", transfer.From, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_transfers_its_callee_blind_and_the_callee_ends_up_talking_to_the_target()
    {
        var transfereePort = FreePorts.Next();
        var targetPort = FreePorts.Next();
        await using var node = await NodeProcess.StartAsync($"sip:127.0.0.1:{transfereePort}", TargetRoute(targetPort));
        await using var transferee = await Sipp.StartCalleeAsync("transfer-caller-transferee-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, transfereePort), 1, _work);
        await using var target = await Sipp.StartCalleeAsync("transfer-target-uas.xml", "udp", new IPEndPoint(IPAddress.Loopback, targetPort), 1, _work, "-d", "300");

        var (exit, output) = await Sipp.RunCallerAsync("transfer-caller-transferor-uac.xml", "udp", node.SipPort, 1, rate: 1, "caller-transfer-", _work, "-key", "target", "sip:9000@127.0.0.1");

        Assert.True(exit == 0, $"{output}\nCallControl:\n{node.Output}");
        Assert.True(await transferee.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, transferee.Output);
        Assert.True(await target.WaitForExitAsync(TimeSpan.FromSeconds(30)) == 0, target.Output);
        var cdr = Assert.Single(await node.WaitForCdrsAsync("caller-transfer-"));
        Assert.Equal((CallDisposition.Answered, HangupParty.Caller), (cdr.Disposition, cdr.HungUpBy)); // the caller's side: the transferee now
        var transfer = Assert.Single(cdr.Transfers!);
        Assert.Equal(("caller", $"sip:9000@127.0.0.1:{targetPort}"), (transfer.By, transfer.To));
        Assert.StartsWith("sip:sipp@127.0.0.1:", transfer.From, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> TargetRoute(int targetPort) => new()
    {
        ["CallControl__Routing__Routes__0__Name"] = "transfer-target",
        ["CallControl__Routing__Routes__0__Prefix"] = "9",
        ["CallControl__Routing__Routes__0__Targets__0"] = $"sip:127.0.0.1:{targetPort}",
    };

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
