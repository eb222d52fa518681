using System.Diagnostics;
using System.Net;
using CallControl.EndToEnd.Tests.Infrastructure;

namespace CallControl.EndToEnd.Tests;

/// <summary>
/// Phones behind NAT, end to end (issue 18): a sipp phone in a namespace of the test's own, source-NATed by a router
/// namespace with no port forwarding (<see cref="NatRouter"/>), registers its private Contact with the embedded
/// default node, and a sipp caller on the host calls it. The only way in to the phone is the router's binding of the
/// phone's own flow, so a call that reaches the phone came through it.
/// </summary>
public sealed class NatRegistrationTests
{
    private const string User = "alice";
    private const string Password = "behind-nat";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>The router forgets a silent UDP flow after this (the keep-alive tests).</summary>
    private static readonly TimeSpan UdpTimeout = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_phone_behind_nat_registers_its_private_contact_and_a_call_to_it_completes_through_the_nat(string transport)
    {
        await using var nat = await NatRouter.CreateAsync();
        await using var node = await StartNodeAsync(nat);
        using var work = new WorkDirectory();
        await using var phone = NatPhone.Start(nat, transport, Edge(nat, node), User, Password, work.Path);

        var binding = await RegisterAsync(nat, phone, transport);

        await CallAsync(nat, node, phone, transport, work.Path);
        // Nothing reaches the phone but through the binding its REGISTER made (no port forwarding); over TCP that
        // binding is the phone's own connection, and the phone made no other.
        Assert.Equal(binding.PublicEndpoint, (await nat.BindingAsync(transport, NatPhone.Port))?.PublicEndpoint);
        Assert.Single(await PhoneFlowsAsync(nat, transport));
    }

    [Fact]
    public async Task With_the_routers_udp_timeout_shorter_than_the_phones_silence_keep_alives_keep_the_binding_and_a_call_reaches_the_phone()
    {
        await using var nat = await NatRouter.CreateAsync();
        await nat.SetUdpTimeoutAsync(UdpTimeout);
        await using var node = await StartNodeAsync(nat, ("CallControl__Registrar__NatKeepAlive", "00:00:02"));
        using var work = new WorkDirectory();
        await using var phone = NatPhone.Start(nat, "udp", Edge(nat, node), User, Password, work.Path);
        var binding = await RegisterAsync(nat, phone, "udp");

        // The phone sends nothing of its own for three times the router's timeout; only the edge's keep-alives (and
        // the phone's answers to them) keep the binding.
        var silence = Stopwatch.StartNew();
        while (silence.Elapsed < 3 * UdpTimeout)
        {
            var now = await nat.BindingAsync("udp", NatPhone.Port);
            Assert.True(
                now?.PublicEndpoint.Equals(binding.PublicEndpoint) == true,
                $"After {silence.Elapsed.TotalSeconds:F1} s of silence the router's binding {binding.PublicEndpoint} is {(now is null ? "gone" : "now " + now.PublicEndpoint)}; " +
                $"the phone answered {phone.KeepAlivesAnswered} keep-alive(s).\n{Diagnostics(phone, node)}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(phone.KeepAlivesAnswered >= 2, $"the phone answered {phone.KeepAlivesAnswered} keep-alive(s) in {silence.Elapsed}");
        await CallAsync(nat, node, phone, "udp", work.Path);
    }

    [Fact]
    public async Task Without_keep_alives_the_routers_binding_of_a_silent_udp_phone_expires()
    {
        await using var nat = await NatRouter.CreateAsync();
        await nat.SetUdpTimeoutAsync(UdpTimeout);
        await using var node = await StartNodeAsync(nat, ("CallControl__Registrar__NatKeepAlive", "00:00:00"));
        using var work = new WorkDirectory();
        await using var phone = NatPhone.Start(nat, "udp", Edge(nat, node), User, Password, work.Path);
        await RegisterAsync(nat, phone, "udp");

        await nat.WaitForBindingGoneAsync("udp", NatPhone.Port, 4 * UdpTimeout);
        Assert.Equal(0, phone.KeepAlivesAnswered);
    }

    /// <summary>
    /// The embedded default node with one subscriber, its edge on the host's address toward the router (realm and
    /// domain that address, as the phone writes them). The host's own address is trusted, so the test's caller there is
    /// not challenged; the phone's source (the router's public address) is not.
    /// </summary>
    private static Task<NodeProcess> StartNodeAsync(NatRouter nat, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["CallControl__Edge__ListenAddress"] = nat.HostAddress.ToString(),
            ["CallControl__Subscribers__0__Username"] = User,
            ["CallControl__Subscribers__0__Realm"] = nat.HostAddress.ToString(),
            ["CallControl__Subscribers__0__Password"] = Password,
            ["CallControl__Security__TrustedNetworks__0"] = "127.0.0.0/8",
            ["CallControl__Security__TrustedNetworks__1"] = $"{nat.HostAddress}/32",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        // A call the registrar does not route goes nowhere (the discard port), and fails.
        return NodeProcess.StartAsync($"sip:{IPAddress.Loopback}:9", settings);
    }

    private static IPEndPoint Edge(NatRouter nat, NodeProcess node) => new(nat.HostAddress, node.SipPort);

    /// <summary>Waits for the phone's 200, checks it lists the Contact as the phone sent it, and returns the router's binding.</summary>
    private static async Task<ConntrackEntry> RegisterAsync(NatRouter nat, NatPhone phone, string transport)
    {
        var listed = await phone.WaitForRegisteredAsync(Wait);
        Assert.Contains($"<{phone.Contact}>", listed, StringComparison.OrdinalIgnoreCase);

        var binding = await nat.BindingAsync(transport, NatPhone.Port);
        Assert.NotNull(binding);
        Assert.Equal(nat.RouterPublicAddress, binding.PublicEndpoint.Address);
        Assert.InRange(binding.PublicEndpoint.Port, NatRouter.PublicPorts.First, NatRouter.PublicPorts.Last);
        return binding;
    }

    /// <summary>A sipp caller on the host calls the user; both it and the phone must end with the call completed.</summary>
    private static async Task CallAsync(NatRouter nat, NodeProcess node, NatPhone phone, string transport, string work)
    {
        var (exit, output) = await Sipp.RunCallerAsync("uac", transport, Edge(nat, node), calls: 1, rate: 1, "nat-call-", work, "-s", User);
        Assert.True(exit == 0, $"The caller failed ({exit}):\n{output}\n{Diagnostics(phone, node)}");
        Assert.True(await phone.WaitForExitAsync(Wait) == 0, $"The phone failed:\n{Diagnostics(phone, node)}");
        Assert.Equal(1, phone.CallsAnswered);
        Assert.Single(node.CdrsFor("nat-call-"));
    }

    /// <summary>The router's entries of what the phone sent over <paramref name="transport"/>, from any of its ports.</summary>
    private static async Task<IReadOnlyList<ConntrackEntry>> PhoneFlowsAsync(NatRouter nat, string transport) =>
        [.. (await nat.ConntrackAsync()).Where(e => e.Protocol == transport && e.OriginalSource.Address.Equals(nat.PhoneAddress))];

    private static string Diagnostics(NatPhone phone, NodeProcess node) =>
        $"Phone:\n{phone.Output}\nNode (last lines):\n{string.Join('\n', node.Output.Split('\n').TakeLast(60))}";

    /// <summary>A temporary directory for sipp's logs, deleted at the end.</summary>
    private sealed class WorkDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("callcontrol-nat-registration-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
