using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;
using CallControl.Sip.Headers;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A dual-stack node (issue 20, IPv6): CallControl:Edge:ListenAddresses 127.0.0.1 and ::1, a sipp caller on one family
/// and a sipp callee on the other, over UDP. Each side must be named the node's address of its own family in Via and
/// Contact (sipp's message traces show what each received), and the call is answered, hung up and billed.
/// </summary>
public sealed class DualStackNodeTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-dual-stack-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData(false)] // an IPv4 caller, an IPv6 callee
    [InlineData(true)] // an IPv6 caller, an IPv4 callee
    public async Task A_call_between_the_families_names_the_node_in_each_sides_own(bool callerOnIPv6)
    {
        var (callerAddress, calleeAddress) = callerOnIPv6 ? (IPAddress.IPv6Loopback, IPAddress.Loopback) : (IPAddress.Loopback, IPAddress.IPv6Loopback);
        var callee = new IPEndPoint(calleeAddress, FreePorts.Next());
        var calleeHost = SipHost.Of(calleeAddress);
        var callerHost = SipHost.Of(callerAddress);
        await using var node = await NodeProcess.StartAsync($"sip:{calleeHost}:{callee.Port}", new Dictionary<string, string>
        {
            ["CallControl__Edge__ListenAddresses__0"] = "127.0.0.1",
            ["CallControl__Edge__ListenAddresses__1"] = "::1",
        });
        var calleeWork = Directory.CreateDirectory(Path.Combine(_work, "callee")).FullName;
        var callerWork = Directory.CreateDirectory(Path.Combine(_work, "caller")).FullName;
        await using var uas = await Sipp.StartCalleeAsync("uas", "udp", callee, calls: 1, calleeWork, "-trace_msg");

        var prefix = $"dual-stack-{(callerOnIPv6 ? "6to4" : "4to6")}-";
        var (exit, output) = await Sipp.RunCallerAsync("uac", "udp", new IPEndPoint(callerAddress, node.SipPort), calls: 1, rate: 1, prefix, callerWork, "-trace_msg");

        Assert.True(exit == 0, $"sipp caller exited {exit}:\n{output}\n--- callee:\n{uas.Output}\n--- node:\n{node.Output}");
        var cdr = Assert.Single(await node.WaitForCdrsAsync(prefix));
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.StartsWith($"sip:sipp@{callerHost}:", cdr.Caller, StringComparison.Ordinal);

        await uas.WaitForExitAsync(TimeSpan.FromSeconds(10)); // its trace is complete once it has ended (-m 1)

        // The callee got the node's address of its family in Via and Contact; the caller, in the answer's Contact.
        var calleeSaw = Trace(calleeWork, "uas");
        Assert.Contains($"Via: SIP/2.0/UDP {calleeHost}:{node.SipPort};", calleeSaw, StringComparison.Ordinal);
        Assert.Contains($"Contact: <sip:{calleeHost}:{node.SipPort}>", calleeSaw, StringComparison.Ordinal);
        Assert.Contains($"Contact: <sip:{callerHost}:{node.SipPort}>", Trace(callerWork, "uac"), StringComparison.Ordinal);
    }

    // sipp's -trace_msg file: <scenario>_<pid>_messages.log in its working directory.
    private static string Trace(string directory, string scenario)
        => File.ReadAllText(Assert.Single(Directory.GetFiles(directory, $"{scenario}_*_messages.log")));
}
