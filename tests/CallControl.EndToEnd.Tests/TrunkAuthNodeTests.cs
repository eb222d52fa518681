using CallControl.EndToEnd.Tests.Infrastructure;
using CallControl.Grains;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// A node whose trunks challenge (docs/interop.md, "Outbound authentication"): the default target (credentials in
/// <c>CallControl:Routing:DefaultTargetAuth</c>, realm trunk.test), route <c>proxied</c> (prefix 88, credentials for any
/// realm) and route <c>wrong</c> (prefix 77, a password the trunk refuses), each a sipp trunk of its own.
/// </summary>
public sealed class TrunkAuthNodeFixture : IAsyncLifetime
{
    public const string Password = "trunk-secret";
    public const string WrongPassword = "not-the-trunk-secret";

    public int DefaultTrunk { get; } = FreePorts.Next();

    public int ProxiedTrunk { get; } = FreePorts.Next();

    public int WrongTrunk { get; } = FreePorts.Next();

    internal NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(TestSettings.ShortCallTimers)
        {
            ["CallControl__Routing__DefaultTargetAuth__Username"] = "trunkuser",
            ["CallControl__Routing__DefaultTargetAuth__Password"] = Password,
            ["CallControl__Routing__DefaultTargetAuth__Realm"] = "trunk.test",
            ["CallControl__Routing__Routes__0__Name"] = "proxied",
            ["CallControl__Routing__Routes__0__Prefix"] = "88",
            ["CallControl__Routing__Routes__0__Targets__0"] = $"sip:127.0.0.1:{ProxiedTrunk}",
            ["CallControl__Routing__Routes__0__Auth__Username"] = "trunkuser",
            ["CallControl__Routing__Routes__0__Auth__Password"] = Password,
            ["CallControl__Routing__Routes__1__Name"] = "wrong",
            ["CallControl__Routing__Routes__1__Prefix"] = "77",
            ["CallControl__Routing__Routes__1__Targets__0"] = $"sip:127.0.0.1:{WrongTrunk}",
            ["CallControl__Routing__Routes__1__Auth__Username"] = "trunkuser",
            ["CallControl__Routing__Routes__1__Auth__Password"] = WrongPassword,
            ["Logging__LogLevel__CallControl.Grains.Dialogs.DialogGrain"] = "Debug", // the answers' log lines are Debug: they must hold no secret either
        };
        Node = await NodeProcess.StartAsync($"sip:127.0.0.1:{DefaultTrunk}", settings);
    }

    public async Task DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }
    }
}

/// <summary>
/// Real calls, sipp caller → node → sipp trunk that challenges: the INVITE (401 or 407) and the BYE (401) are sent again
/// with credentials sipp verifies, the caller never sees a challenge, and neither the log nor a CDR holds the secret.
/// </summary>
public sealed class TrunkAuthNodeTests(TrunkAuthNodeFixture fixture) : IClassFixture<TrunkAuthNodeFixture>, IDisposable
{
    private const int Calls = 2;
    private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-trunk-auth-").FullName;

    [Theory]
    [InlineData("auth-401-uas.xml", "1000", "default")]
    [InlineData("auth-407-uas.xml", "8800", "proxied")]
    public async Task A_challenging_trunk_gets_the_invite_and_the_bye_again_with_credentials_and_the_call_is_answered(string trunk, string dialled, string route)
    {
        var port = route == "default" ? fixture.DefaultTrunk : fixture.ProxiedTrunk;
        var cdrs = await RunAsync(trunk, port, "uac", dialled, $"trunk-auth-{route}-", "-d", "300");

        Assert.All(cdrs, cdr =>
        {
            Assert.Equal((CallDisposition.Answered, 200, HangupParty.Caller, route), (cdr.Disposition, cdr.FinalStatus, cdr.HungUpBy, cdr.Route));
            Assert.Contains($":{port}", cdr.CalleeRouted, StringComparison.Ordinal);
        });
        AssertNoSecret();
    }

    [Fact]
    public async Task Credentials_the_trunk_refuses_give_the_caller_403_and_never_a_challenge()
    {
        var cdrs = await RunAsync("auth-401-uas.xml", fixture.WrongTrunk, "auth-refused-uac.xml", "7700", "trunk-auth-wrong-");

        Assert.All(cdrs, cdr => Assert.Equal((CallDisposition.Failed, 403, "wrong"), (cdr.Disposition, cdr.FinalStatus, cdr.Route)));
        AssertNoSecret();
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private void AssertNoSecret()
    {
        Assert.Contains("challenged the INVITE", fixture.Node.Output, StringComparison.Ordinal); // the Debug lines are there
        Assert.DoesNotContain("trunk-secret", fixture.Node.Output, StringComparison.Ordinal); // both passwords contain it
        Assert.DoesNotContain("trunk-secret", File.ReadAllText(fixture.Node.CdrPath), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<CallDetailRecord>> RunAsync(string trunk, int trunkPort, string caller, string dialled, string prefix, params string[] callerExtra)
    {
        await using var callee = await Sipp.StartCalleeAsync(trunk, "udp", trunkPort, Calls, _work);
        var (callerExit, callerOutput) = await Sipp.RunCallerAsync(caller, "udp", fixture.Node.SipPort, Calls, rate: 5, prefix, _work, ["-s", dialled, .. callerExtra]);
        var calleeExit = await callee.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(callerExit == 0, $"caller exit {callerExit}\n{callerOutput}\nCallControl:\n{fixture.Node.Output}");
        Assert.True(calleeExit == 0, $"trunk exit {calleeExit}\n{callee.Output}\nCallControl:\n{fixture.Node.Output}");
        var cdrs = await fixture.Node.WaitForCdrsAsync(prefix);
        Assert.Equal(Calls, cdrs.Count);
        return cdrs;
    }
}
