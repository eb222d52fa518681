using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// The embedded default's SIP normalisation (docs/interop.md, "Header policy and number normalisation"), configured
/// as an operator would: <c>CallControl:Routing:DefaultTargetNumbers</c> (UK numbers to E.164),
/// <c>DefaultTargetHeaders</c> (P-Charging-Vector allowed, X-Internal-* denied) and <c>DefaultTargetRewrite</c>
/// (Privacy: id). Real sipp on both sides: the trunk checks every header of the INVITE it gets, the caller the answer.
/// </summary>
public sealed class HeaderPolicyNodeTests : IAsyncLifetime, IDisposable
{
    private const int Calls = 2;
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-header-policy-").FullName;
    private readonly int _trunk = FreePorts.Next();
    private NodeProcess _node = null!;

    /// <summary>The settings of the policy the scenarios check, under <paramref name="prefix"/> (<c>CallControl__Routing__DefaultTarget</c> or <c>...__Routes__0__</c>).</summary>
    internal static Dictionary<string, string> PolicySettings(string headers, string numbers, string rewrite) => new()
    {
        [$"{numbers}__0__Strip"] = "0",
        [$"{numbers}__0__Add"] = "+44",
        [$"{numbers}__1__Strip"] = "00",
        [$"{numbers}__1__Add"] = "+",
        [$"{headers}__Allow__0"] = "P-Charging-Vector",
        [$"{headers}__Deny__0"] = "X-Internal-*",
        [$"{rewrite}__Privacy"] = "id",
    };

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers);
        foreach (var (key, value) in PolicySettings("CallControl__Routing__DefaultTargetHeaders", "CallControl__Routing__DefaultTargetNumbers", "CallControl__Routing__DefaultTargetRewrite"))
        {
            settings[key] = value;
        }

        _node = await NodeProcess.StartAsync($"sip:127.0.0.1:{_trunk}", settings);
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task The_trunk_gets_e164_numbers_the_allowed_headers_and_none_denied_and_the_caller_gets_its_answer_filtered()
    {
        await using var trunk = await Sipp.StartCalleeAsync("policy-uas.xml", "udp", _trunk, Calls, _work);
        var (callerExit, callerOutput) = await Sipp.RunCallerAsync("policy-uac.xml", "udp", _node.SipPort, Calls, rate: 5, "header-policy-", _work, "-s", "02079460000");
        var trunkExit = await trunk.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(trunkExit == 0, $"trunk exit {trunkExit}\n{trunk.Output}\nCallControl:\n{_node.Output}");
        Assert.True(callerExit == 0, $"caller exit {callerExit}\n{callerOutput}\nCallControl:\n{_node.Output}");
        var cdrs = await _node.WaitForCdrsAsync("header-policy-");
        Assert.Equal(Calls, cdrs.Count);
        Assert.All(cdrs, cdr =>
        {
            Assert.Equal((CallDisposition.Answered, "default"), (cdr.Disposition, cdr.Route));
            Assert.Contains("+442079460000", cdr.CalleeRouted, StringComparison.Ordinal); // the Request-URI the trunk got
        });
    }
}
