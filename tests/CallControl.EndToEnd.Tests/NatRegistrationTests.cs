using System.Diagnostics;
using System.Globalization;
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
        await using var bed = await PhoneBehindNat.RegisterAsync(transport);

        await bed.CallAsync();

        // Nothing reaches the phone but through the binding its REGISTER made (no port forwarding); over TCP that
        // binding is the phone's own connection, and the phone made no other.
        Assert.Equal(bed.Binding.PublicEndpoint, (await bed.Nat.BindingAsync(transport, NatPhone.Port))?.PublicEndpoint);
        Assert.Single(await PhoneFlowsAsync(bed.Nat, transport));
    }

    [Fact]
    public async Task With_the_routers_udp_timeout_shorter_than_the_phones_silence_keep_alives_keep_the_binding_and_a_call_reaches_the_phone()
    {
        await using var bed = await PhoneBehindNat.RegisterAsync("udp", UdpTimeout, keepAlive: TimeSpan.FromSeconds(2));

        // The phone sends nothing of its own for three times the router's timeout; only the edge's keep-alives (and
        // the phone's answers to them) keep the binding.
        var silence = Stopwatch.StartNew();
        while (silence.Elapsed < 3 * UdpTimeout)
        {
            var now = await bed.Nat.BindingAsync("udp", NatPhone.Port);
            Assert.True(
                now?.PublicEndpoint.Equals(bed.Binding.PublicEndpoint) == true,
                $"After {silence.Elapsed.TotalSeconds:F1} s of silence the router's binding {bed.Binding.PublicEndpoint} is {(now is null ? "gone" : "now " + now.PublicEndpoint)}; " +
                $"the phone answered {bed.Phone.KeepAlivesAnswered} keep-alive(s).\n{bed.Diagnostics()}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        // At least one keep-alive answered per router timeout (the edge's timer ticks each second, so 2 s is 2-3 s):
        // answered, so the edge keeps the flow rather than counting it dead.
        Assert.True(bed.Phone.KeepAlivesAnswered >= (int)(silence.Elapsed / UdpTimeout), $"the phone answered {bed.Phone.KeepAlivesAnswered} keep-alive(s) in {silence.Elapsed}\n{bed.Diagnostics()}");
        await bed.CallAsync();
    }

    [Fact]
    public async Task Without_keep_alives_the_routers_binding_of_a_silent_udp_phone_expires()
    {
        await using var bed = await PhoneBehindNat.RegisterAsync("udp", UdpTimeout, keepAlive: TimeSpan.Zero);

        await bed.Nat.WaitForBindingGoneAsync("udp", NatPhone.Port, 4 * UdpTimeout);
        Assert.Equal(0, bed.Phone.KeepAlivesAnswered);
    }

    /// <summary>The router's entries of what the phone sent over <paramref name="transport"/>, from any of its ports.</summary>
    private static async Task<IReadOnlyList<ConntrackEntry>> PhoneFlowsAsync(NatRouter nat, string transport) =>
        [.. (await nat.ConntrackAsync()).Where(e => e.Protocol == transport && e.OriginalSource.Address.Equals(nat.PhoneAddress))];

    /// <summary>
    /// The router, the node, the phone (registered) and sipp's working directory of one test, disposed in the reverse
    /// order: the phone first, the router last.
    /// </summary>
    private sealed class PhoneBehindNat : IAsyncDisposable
    {
        private readonly string _work = Directory.CreateTempSubdirectory("callcontrol-nat-registration-").FullName;
        private NodeProcess? _node;
        private NatPhone? _phone;

        private PhoneBehindNat(NatRouter nat) => Nat = nat;

        public NatRouter Nat { get; }

        public NodeProcess Node => _node!;

        public NatPhone Phone => _phone!;

        /// <summary>The router's binding of the phone's flow, as its REGISTER made it.</summary>
        public ConntrackEntry Binding { get; private set; } = null!;

        /// <summary>
        /// Builds a router (with <paramref name="udpTimeout"/>, if given, before any traffic), starts the node (with the
        /// edge's keep-alive interval, if given) and the phone, and waits until the phone is registered.
        /// </summary>
        public static async Task<PhoneBehindNat> RegisterAsync(string transport, TimeSpan? udpTimeout = null, TimeSpan? keepAlive = null)
        {
            var bed = new PhoneBehindNat(await NatRouter.CreateAsync());
            try
            {
                if (udpTimeout is { } timeout)
                {
                    await bed.Nat.SetUdpTimeoutAsync(timeout);
                }

                bed._node = await StartNodeAsync(bed.Nat, keepAlive);
                bed._phone = NatPhone.Start(bed.Nat, transport, bed.Edge, User, Password, bed._work);
                bed.Binding = await bed.RegisteredAsync(transport);
                return bed;
            }
            catch
            {
                await bed.DisposeAsync();
                throw;
            }
        }

        /// <summary>A sipp caller on the host calls the user; both it and the phone must end with the call completed.</summary>
        public async Task CallAsync()
        {
            var transport = Binding.Protocol;
            var (exit, output) = await Sipp.RunCallerAsync("uac", transport, Edge, calls: 1, rate: 1, "nat-call-", _work, "-s", User);
            Assert.True(exit == 0, $"The caller failed ({exit}):\n{output}\n{Diagnostics()}");
            Assert.True(await Phone.WaitForExitAsync(Wait) == 0, $"The phone failed:\n{Diagnostics()}");
            Assert.Equal(1, Phone.CallsAnswered);
            Assert.Single(Node.CdrsFor("nat-call-"));
        }

        public string Diagnostics() =>
            $"Phone:\n{_phone?.Output}\nNode (last lines):\n{string.Join('\n', (_node?.Output ?? "").Split('\n').TakeLast(60))}";

        public async ValueTask DisposeAsync()
        {
            if (_phone is not null)
            {
                await _phone.DisposeAsync();
            }

            Directory.Delete(_work, recursive: true);
            if (_node is not null)
            {
                await _node.DisposeAsync();
            }

            await Nat.DisposeAsync();
        }

        private IPEndPoint Edge => new(Nat.HostAddress, Node.SipPort);

        /// <summary>Waits for the phone's 200, checks it lists the Contact as the phone sent it, and returns the router's binding.</summary>
        private async Task<ConntrackEntry> RegisteredAsync(string transport)
        {
            var listed = await Phone.WaitForRegisteredAsync(Wait);
            Assert.Contains($"<{Phone.Contact}>", listed, StringComparison.OrdinalIgnoreCase);

            var binding = await Nat.BindingAsync(transport, NatPhone.Port);
            Assert.NotNull(binding);
            Assert.Equal(Nat.RouterPublicAddress, binding.PublicEndpoint.Address);
            Assert.InRange(binding.PublicEndpoint.Port, NatRouter.PublicPorts.First, NatRouter.PublicPorts.Last);
            return binding;
        }
    }

    /// <summary>
    /// The embedded default node with one subscriber, its edge on the host's address toward the router (realm and
    /// domain that address, as the phone writes them). The host's own address is trusted, so the test's caller there is
    /// not challenged; the phone's source (the router's public address) is not.
    /// </summary>
    private static Task<NodeProcess> StartNodeAsync(NatRouter nat, TimeSpan? keepAlive)
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
        if (keepAlive is { } interval)
        {
            settings["CallControl__Registrar__NatKeepAlive"] = interval.ToString("c", CultureInfo.InvariantCulture);
        }

        // A call the registrar does not route goes nowhere (the discard port), and fails.
        return NodeProcess.StartAsync($"sip:{IPAddress.Loopback}:9", settings);
    }
}
