using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CallControl.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A phone behind a home router, for the NAT tests (issue 18; docs/nat.md, "NAT test harness"). Two network namespaces
/// of the test's own and two veth pairs:
/// <code>
///   phone ns "ccnatN-phone"      router ns "ccnatN-router"                   host (the test, CallControl)
///   eth0 10.250.N.2/24 ──── priv 10.250.N.1/24 │ pub 172.31.N.2/30 ──── ccnatN-h 172.31.N.1/30
///   default via 10.250.N.1       masquerade out of pub (nft), no port forwarding
/// </code>
/// What the phone sends to <see cref="HostAddress"/> reaches the host from <see cref="RouterPublicAddress"/> and a
/// port in <see cref="PublicPorts"/> (never the phone's own port, if the phone binds outside that range); what the
/// host sends back to that address and port reaches the phone while the router's conntrack entry lives. The host's
/// loopback cannot be reached from another namespace: a CallControl edge under test listens on
/// <see cref="HostAddress"/> (CallControl:Edge:ListenAddress), or on 0.0.0.0 with AdvertisedHost set to it.
/// Nothing is touched outside the two namespaces but the host's end of the veth pair; every name and address carries
/// the slot number N (<see cref="NatSlot"/>), so routers of parallel tests never clash. Dispose the router after the
/// processes that use its addresses (declare it first).
/// </summary>
internal sealed class NatRouter : IAsyncDisposable
{
    /// <summary>The ports the router maps TCP and UDP sources to (at random within the range).</summary>
    public static readonly (int First, int Last) PublicPorts = (20_000, 29_999);

    private const string PublicLink = "pub";
    private const string PrivateLink = "priv";
    private const string PhoneLink = "eth0";

    private static readonly Lazy<Task> Leftovers = new(NatSlot.RemoveAllLeftoversAsync);

    private readonly NatSlot _slot;
    private int _disposed;

    private NatRouter(NatSlot slot)
    {
        _slot = slot;
        var n = (byte)slot.Number;
        PhoneAddress = new IPAddress([10, 250, n, 2]);
        RouterPrivateAddress = new IPAddress([10, 250, n, 1]);
        RouterPublicAddress = new IPAddress([172, 31, n, 2]);
        HostAddress = new IPAddress([172, 31, n, 1]);
    }

    public string PhoneNamespace => _slot.PhoneNamespace;

    public string RouterNamespace => _slot.RouterNamespace;

    /// <summary>The host's end of the veth pair toward the router.</summary>
    public string HostLink => _slot.HostLink;

    /// <summary>The start of every namespace and link name this router makes ("ccnat7-").</summary>
    public string NamePrefix => _slot.NamePrefix;

    /// <summary>The phone's private address (10.250.N.2), what it writes in its Contact.</summary>
    public IPAddress PhoneAddress { get; }

    /// <summary>The router's address on the phone's side, the phone's default gateway.</summary>
    public IPAddress RouterPrivateAddress { get; }

    /// <summary>The router's public (host-side) address: the source the host sees for everything the phone sends.</summary>
    public IPAddress RouterPublicAddress { get; }

    /// <summary>The host's address on the link to the router: what the phone reaches, and what an edge listens on.</summary>
    public IPAddress HostAddress { get; }

    /// <summary>Makes the namespaces, links, routes and NAT rule; removes whatever it made if a step fails.</summary>
    public static async Task<NatRouter> CreateAsync()
    {
        await Leftovers.Value;
        var router = new NatRouter(NatSlot.Take());
        try
        {
            await router._slot.RemoveNetworkAsync(); // a killed run's, if it held this slot
            await router.BuildAsync();
            return router;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a process (sipp, a test peer) inside the phone's namespace; disposing it stops it by its PID.</summary>
    public ChildProcess RunInPhone(string command, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null) =>
        ChildProcess.Start("ip", ["netns", "exec", PhoneNamespace, command, .. arguments], workingDirectory ?? Path.GetTempPath(), environment);

    /// <summary>Runs a short command inside the phone's namespace to its end (bounded).</summary>
    public Task<NetCommand.Result> ExecInPhoneAsync(string command, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        NetCommand.RunAsync("ip", ["netns", "exec", PhoneNamespace, command, .. arguments], timeout: timeout);

    /// <summary>
    /// Sets the router's UDP conntrack timeouts (net.netfilter.nf_conntrack_udp_timeout and ..._stream, which are per
    /// namespace: the host's stay as they are). A NAT binding the phone leaves silent longer than this expires.
    /// Applies to entries from their next packet on: set it before the traffic.
    /// </summary>
    public async Task SetUdpTimeoutAsync(TimeSpan timeout)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await SetRouterSysctlAsync("net/netfilter/nf_conntrack_udp_timeout", seconds);
        await SetRouterSysctlAsync("net/netfilter/nf_conntrack_udp_timeout_stream", seconds);
    }

    /// <summary>A router sysctl's value ("net/netfilter/nf_conntrack_udp_timeout").</summary>
    public async Task<string> RouterSysctlAsync(string path) =>
        (await RouterCheckAsync("cat", [Path.Combine("/proc/sys", path)])).Trim();

    /// <summary>Drops every NAT binding at once (conntrack -F in the router's namespace), as a router reboot would.</summary>
    public Task FlushConntrackAsync() => RouterCheckAsync("conntrack", ["-F"]);

    /// <summary>The router's connection tracking table (TCP and UDP entries).</summary>
    public async Task<IReadOnlyList<ConntrackEntry>> ConntrackAsync() =>
        ConntrackEntry.ParseTable(await RouterCheckAsync("conntrack", ["-L", "-o", "extended"]));

    /// <summary>The router's binding for what the phone sent from <paramref name="phonePort"/> ("udp" or "tcp"), if it has one.</summary>
    public async Task<ConntrackEntry?> BindingAsync(string protocol, int phonePort) =>
        (await ConntrackAsync()).FirstOrDefault(e => e.Protocol == protocol && e.OriginalSource.Equals(new IPEndPoint(PhoneAddress, phonePort)));

    /// <summary>Polls the router's table until the phone's binding from <paramref name="phonePort"/> is gone (expired or flushed).</summary>
    public async Task WaitForBindingGoneAsync(string protocol, int phonePort, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (await BindingAsync(protocol, phonePort) is { } binding)
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"The router's {protocol} binding {binding.OriginalSource} -> {binding.PublicEndpoint} still lives after {timeout}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Kills what still runs in the namespaces, removes them and the host link, then frees the slot.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await _slot.RemoveNetworkAsync();
        }
        finally
        {
            _slot.Dispose();
        }
    }

    private async Task BuildAsync()
    {
        var (phone, router) = (PhoneNamespace, RouterNamespace);
        await IpAsync("netns", "add", router);
        await IpAsync("netns", "add", phone);

        // Made in the host's namespace with the peer born in the router's: no moment when both ends sit in the host.
        await IpAsync("link", "add", HostLink, "type", "veth", "peer", "name", PublicLink, "netns", router);
        await IpAsync("-n", router, "link", "add", PrivateLink, "type", "veth", "peer", "name", PhoneLink, "netns", phone);

        await IpAsync("addr", "add", $"{HostAddress}/30", "dev", HostLink);
        await IpAsync("link", "set", HostLink, "up");
        await IpAsync("-n", router, "addr", "add", $"{RouterPublicAddress}/30", "dev", PublicLink);
        await IpAsync("-n", router, "addr", "add", $"{RouterPrivateAddress}/24", "dev", PrivateLink);
        await IpAsync("-n", phone, "addr", "add", $"{PhoneAddress}/24", "dev", PhoneLink);
        foreach (var (ns, link) in new[] { (router, "lo"), (router, PublicLink), (router, PrivateLink), (phone, "lo"), (phone, PhoneLink) })
        {
            await IpAsync("-n", ns, "link", "set", link, "up");
        }

        await IpAsync("-n", phone, "route", "add", "default", "via", RouterPrivateAddress.ToString());
        await SetRouterSysctlAsync("net/ipv4/ip_forward", "1");

        // Source NAT only: what leaves by the public link takes the router's address; replies are translated back by
        // conntrack. Nothing maps inbound connections (no port forwarding).
        var nat = $$"""
            table ip callcontrol_nat {
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "{{PublicLink}}" meta l4proto { tcp, udp } masquerade to :{{PublicPorts.First}}-{{PublicPorts.Last}} random
                oifname "{{PublicLink}}" masquerade
              }
            }
            """;
        await RouterCheckAsync("nft", ["-f", "-"], nat);
    }

    private Task SetRouterSysctlAsync(string path, string value) =>
        RouterCheckAsync("sh", ["-c", "echo \"$1\" > \"/proc/sys/$2\"", "sh", value, path]);

    private Task<string> RouterCheckAsync(string command, IReadOnlyList<string> arguments, string? input = null) =>
        NetCommand.CheckAsync("ip", ["netns", "exec", RouterNamespace, command, .. arguments], input);

    private static Task<string> IpAsync(params string[] arguments) => NetCommand.CheckAsync("ip", arguments);
}
